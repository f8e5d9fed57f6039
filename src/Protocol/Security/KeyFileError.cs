namespace Chat.Protocol.Security;

/// <summary>A key file failure: what, where (1-based line, 0 when not about a line), and a message for one log line.</summary>
public sealed record KeyFileError(KeyFileErrorKind Kind, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"line {Line}: {Message}" : Message;
}
