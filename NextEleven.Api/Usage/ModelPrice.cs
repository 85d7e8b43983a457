namespace NextEleven.Api.Usage;

/// <summary>
/// What a model costs, in USD per million tokens (<c>Chat:Prices:&lt;provider&gt;/&lt;model&gt;</c> or
/// <c>Chat:Prices:&lt;model&gt;</c>). There is no built-in list: prices change, the operator sets them.
/// </summary>
internal sealed class ModelPrice
{
    /// <summary>Per million input tokens.</summary>
    public decimal Input { get; set; }

    /// <summary>Per million output tokens.</summary>
    public decimal Output { get; set; }

    /// <summary>Per million input tokens the provider read from its cache; <see cref="Input"/> when unset.</summary>
    public decimal? CachedInput { get; set; }
}
