using Chat.ChatService.Hosting;

// The chat shard process; see ShardHost for configuration and docs/chat-service.md for operations.
return await ShardHost.RunAsync(args);
