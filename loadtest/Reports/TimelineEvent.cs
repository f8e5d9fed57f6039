namespace Chat.LoadTest.Reports;

/// <summary>Something that happened at a time of the run: a ring epoch ("ring") or a scenario action ("action").</summary>
internal sealed record TimelineEvent(double T, string Kind, string Label);
