namespace Aggregator.Cli.Demo;

/// <summary>The kinds of mistakes (and of harmless oddities) seen in real units' tables.</summary>
public enum TableMistake
{
    None,

    /// <summary>（七）总计 of table 三 is one more than the sum of the results (S3-RESULT-TOTAL).</summary>
    ResultTotalOff,

    /// <summary>The 总计 column of table 三 is left blank (S3-ROW-TOTAL, with S3-TOTAL-BLANK warnings).</summary>
    BlankTotalColumn,

    /// <summary>结转下年度 is two too many, so 一 + 二 ≠ 三 + 四 (S3-BALANCE).</summary>
    BrokenBalance,

    /// <summary>The purchase amount is written "251000元": not a mistake, it is read as 25.1 万元.</summary>
    AmountInYuan,

    /// <summary>The purchase amount is written "244.19万元": not a mistake.</summary>
    AmountInTenThousandYuan,
}
