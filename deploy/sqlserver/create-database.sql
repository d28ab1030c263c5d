IF DB_ID(N'aggregator') IS NULL
    CREATE DATABASE [aggregator];
GO
