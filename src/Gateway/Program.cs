using Chat.Gateway.Hosting;

// The gateway process; see GatewayHost for configuration and docs/gateway.md for operations.
return await GatewayHost.RunAsync(args);
