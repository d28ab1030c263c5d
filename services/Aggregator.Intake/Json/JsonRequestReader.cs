using Aggregator.Application.Results;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Aggregator.Intake.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Intake.Json;

/// <summary>A request body that is well-formed UTF-8 JSON within the limits, with any repeated property names.</summary>
public sealed record JsonRequest(byte[] Utf8, IReadOnlyList<DuplicateProperty> Duplicates);

/// <summary>Either a value read from the request, or the problem that refuses it.</summary>
public readonly record struct RequestRead<T>(T? Value, ApiProblem? Problem)
{
    public static implicit operator RequestRead<T>(ApiProblem problem) => new(default, problem);
}

/// <summary>
/// Reads JSON request bodies (other than submissions, which the core's <c>SubmissionReader</c> reads) with a clear refusal for each way they can be wrong: content type (415), size (413),
/// encoding (<c>invalid_utf8</c>), syntax (<c>invalid_json</c>), nesting (<c>json_too_deep</c>), then field names and
/// types (<c>invalid_request</c> with the fields at fault). Nothing here throws for bad input.
/// </summary>
public sealed class JsonRequestReader(IOptions<IntakeOptions> options)
{
    /// <summary>
    /// The body as UTF-8 bytes without a byte order mark, refused for its content type (415), size (413) or encoding
    /// (<c>invalid_utf8</c>); the JSON in it is left to the caller, such as the submission reader of the core.
    /// </summary>
    public async Task<RequestRead<byte[]>> ReadUtf8Async(HttpContext context)
    {
        if (ContentTypeProblem(context.Request.ContentType) is { } unsupported)
        {
            return unsupported;
        }

        var (bytes, tooLarge) = await RequestBody.ReadAsync(context, options.Value.MaxRequestBodyBytes);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var utf8 = Utf8Text.WithoutBom(bytes);
        if (!Utf8Text.IsValid(utf8))
        {
            return new ApiProblem(StatusCodes.Status400BadRequest, HttpProblemCodes.InvalidUtf8, "请求体不是有效的 UTF-8 文本", "请求体含有无效的 UTF-8 字节序列；请以 UTF-8 编码提交。");
        }

        return new RequestRead<byte[]>(utf8.Length == bytes!.Length ? bytes : utf8.ToArray(), null);
    }

    public async Task<RequestRead<JsonRequest>> ReadAsync(HttpContext context)
    {
        var limits = options.Value;
        var read = await ReadUtf8Async(context);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var utf8 = read.Value!;
        if (utf8.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return ApiProblem.InvalidJson("请求体为空，应为 JSON。");
        }

        var structure = JsonStructure.Scan(utf8, limits.MaxJsonDepth);
        if (structure.TooDeep)
        {
            return new ApiProblem(StatusCodes.Status400BadRequest, ProblemCodes.JsonTooDeep, "JSON 嵌套过深", $"JSON 的嵌套层数不能超过 {limits.MaxJsonDepth} 层。");
        }

        if (structure.SyntaxError is { } syntax)
        {
            return ApiProblem.InvalidJson($"请求体不是有效的 JSON：{syntax}");
        }

        return new RequestRead<JsonRequest>(new JsonRequest(utf8, structure.Duplicates), null);
    }

    /// <summary>Reads the body as <typeparamref name="T"/>: an object, or an array of objects, of the API's request types.</summary>
    public async Task<RequestRead<T>> ReadAsync<T>(HttpContext context)
        where T : class
    {
        var read = await ReadAsync(context);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var body = read.Value!;
        if (body.Duplicates.Count > 0)
        {
            return ApiProblem.InvalidRequest("同一对象中有重复的字段。",
                [.. body.Duplicates.Select(d => new ApiFieldError(FieldPath(d.ObjectPath, d.Name), $"字段“{ApiProblem.Printable(d.Name)}”出现了不止一次"))]);
        }

        byte[] utf8;
        using (var document = JsonDocument.Parse(body.Utf8, new JsonDocumentOptions { MaxDepth = options.Value.MaxJsonDepth + 1 }))
        {
            var type = ApiJson.Options.GetTypeInfo(typeof(T));
            if (ShapeProblem(document.RootElement, type) is { } shape)
            {
                return shape;
            }

            utf8 = WithApiNames(document.RootElement, type);
        }

        try
        {
            return JsonSerializer.Deserialize<T>(utf8, ApiJson.Options) is { } value
                ? new RequestRead<T>(value, null)
                : ApiProblem.InvalidRequest("请求体不能为 null。");
        }
        catch (JsonException exception)
        {
            var field = FieldPath(exception.Path ?? "$", null);
            return ApiProblem.InvalidRequest($"字段“{field}”的值缺失或类型不正确。", new ApiFieldError(field, "值缺失或类型不正确"));
        }
    }

    internal static ApiProblem? ContentTypeProblem(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType) || !IsJson(mediaType.MediaType.Value))
        {
            return ApiProblem.UnsupportedMediaType("请求体应为 JSON：请使用 Content-Type: application/json。");
        }

        var charset = mediaType.Charset.Value;
        return charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
            ? null
            : ApiProblem.UnsupportedMediaType($"不支持字符集“{ApiProblem.Printable(charset)}”：请以 UTF-8 编码提交（charset=utf-8）。");
    }

    private static bool IsJson(string? mediaType) =>
        mediaType is not null
        && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// Refuses a body whose top level is of the wrong kind, or whose objects carry fields the request type does not
    /// have: a misspelt optional field would otherwise be dropped without a word.
    /// </summary>
    private static ApiProblem? ShapeProblem(JsonElement root, JsonTypeInfo type)
    {
        if (type.Kind == JsonTypeInfoKind.Enumerable)
        {
            if (root.ValueKind != JsonValueKind.Array)
            {
                return ApiProblem.InvalidRequest("请求体应为 JSON 数组。", new ApiFieldError("$", "应为数组"));
            }

            var element = ApiJson.Options.GetTypeInfo(type.ElementType!);
            var errors = new List<ApiFieldError>();
            var index = 0;
            foreach (var item in root.EnumerateArray())
            {
                errors.AddRange(UnknownFields(item, element, $"[{index++}]"));
            }

            return Refusal(errors);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return ApiProblem.InvalidRequest("请求体应为 JSON 对象。", new ApiFieldError("$", "应为对象"));
        }

        return Refusal([.. UnknownFields(root, type, "")]);
    }

    private static IEnumerable<ApiFieldError> UnknownFields(JsonElement item, JsonTypeInfo type, string prefix)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            yield return new ApiFieldError(prefix.Length == 0 ? "$" : prefix, "应为对象");
            yield break;
        }

        var known = KnownNames(type);
        foreach (var property in item.EnumerateObject())
        {
            if (ApiName(property.Name, known) is null)
            {
                var field = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
                yield return new ApiFieldError(ApiProblem.Printable(field), "未知字段");
            }
        }
    }

    // The API's names are snake_case; the camelCase spelling of a known field (formId for form_id) is accepted as
    // the same field, so clients generated from either convention work. Both spellings at once are a duplicate.
    private static byte[] WithApiNames(JsonElement root, JsonTypeInfo type)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (type.Kind == JsonTypeInfoKind.Enumerable)
            {
                var element = ApiJson.Options.GetTypeInfo(type.ElementType!);
                writer.WriteStartArray();
                foreach (var item in root.EnumerateArray())
                {
                    WriteWithApiNames(writer, item, element);
                }

                writer.WriteEndArray();
            }
            else
            {
                WriteWithApiNames(writer, root, type);
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteWithApiNames(Utf8JsonWriter writer, JsonElement item, JsonTypeInfo type)
    {
        var known = KnownNames(type);
        writer.WriteStartObject();
        foreach (var property in item.EnumerateObject())
        {
            writer.WritePropertyName(ApiName(property.Name, known) ?? property.Name);
            property.Value.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static HashSet<string> KnownNames(JsonTypeInfo type) => type.Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    private static string? ApiName(string name, HashSet<string> known)
    {
        if (known.Contains(name))
        {
            return name;
        }

        var snake = JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
        return known.Contains(snake) ? snake : null;
    }

    private static ApiProblem? Refusal(List<ApiFieldError> errors) =>
        errors.Count == 0 ? null : ApiProblem.InvalidRequest($"请求中有 {errors.Count} 处字段不正确。", [.. errors.Take(50)]);

    private static string FieldPath(string jsonPath, string? name)
    {
        var path = jsonPath == "$" ? "" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        if (name is not null)
        {
            path = path.Length == 0 ? name : $"{path}.{name}";
        }

        return ApiProblem.Printable(path.Length == 0 ? "$" : path);
    }
}
