// Filled in by its own issue; until then the process says so and exits non-zero.
Console.Error.WriteLine("not implemented yet: see the open issues");
return 1;
