using Xunit;

namespace Aggregator.Pages.Tests;

[CollectionDefinition(Name)]
public sealed class PagesCollection : ICollectionFixture<PagesHost>
{
    public const string Name = "pages";
}
