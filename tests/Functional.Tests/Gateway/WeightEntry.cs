namespace Chat.Tests.Functional.Gateway;

/// <summary>One gateway as GET /admin/weights lists it.</summary>
internal sealed record WeightEntry(string Id, string? AdminUrl, int Weight, int Connections, bool Draining);
