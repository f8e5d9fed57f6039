namespace Chat.LoadTest.Scenarios;

/// <summary>
/// A fault or ring change injected mid-run. It reports what it did through <c>note</c> (a timeline
/// event) and returns null, or a reason it could not be done (the run then fails).
/// </summary>
internal delegate Task<string?> ChaosAction(Action<string> note, CancellationToken cancellationToken);
