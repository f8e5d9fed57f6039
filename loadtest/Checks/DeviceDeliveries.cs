namespace Chat.LoadTest.Checks;

/// <summary>Everything one device of a couple got, in the order its client raised it.</summary>
internal sealed record DeviceDeliveries(string DeviceId, IReadOnlyList<Delivery> Deliveries);
