/*
 * Gateway <-> shard multiplexing: bodies of the mux control frames.
 *
 * This file is the documentation of the mux wire (docs/multiplexing.md draws the same thing).
 * Every mux frame is a 10-byte header written by hand (src/Protocol/Multiplexing/MuxFrameCodec.cs)
 * followed by its payload:
 *
 *   u32 length (big-endian, payload bytes only) | u8 type | u8 flags | u32 streamId (big-endian) | payload
 *
 *   type  name       stream  payload
 *   1     Challenge  0       MuxChallenge (compact protocol)       shard -> gateway, first frame
 *   2     Hello      0       MuxHello                              gateway -> shard
 *   3     HelloOk    0       MuxHelloOk                            shard -> gateway
 *   4     Open       >0      MuxOpen; flag bit 0 = Migrated         gateway -> shard
 *   5     Data       >0      raw bytes: whole client frames, opaque to the mux (length >= 1)
 *   6     Window     >0      u32 big-endian credit increment (1 .. 2^31-1)
 *   7     Reset      >0      MuxReset
 *   8     Ping       0       8 opaque bytes, echoed by Pong
 *   9     Pong       0       the 8 bytes of the Ping it answers
 *   10    GoAway     0       MuxGoAway
 *   11    Settings   0       MuxSettings (after the handshake: new values for streams opened later)
 *
 * Flags other than Open's Migrated bit must be 0. Streams are opened only by the gateway; stream
 * ids increase and are never reused on one connection.
 *
 * Compatibility: field ids are never reused; new fields are optional and ignored by old readers.
 */

namespace netstd Chat.Protocol.Multiplexing

/**
 * Limits and flow-control values a peer announces for what it RECEIVES.
 * Sent by the gateway in MuxHello, by the shard in MuxHelloOk, and in a Settings frame later.
 */
struct MuxSettings {
  /** Bytes of Data the sender of these settings accepts on a new stream before it returns credit. */
  1: i32 initialStreamWindow
  /** Streams the sender accepts open at once on this connection; an Open beyond it is reset with Refused. */
  2: i32 maxStreams
  /** Largest frame payload the sender accepts; a bigger frame is a protocol error. */
  3: i32 maxFramePayload
  /** How often the sender pings when idle (advisory: each side detects a dead peer by its own Pong timeout). */
  4: i32 pingIntervalMs
}

/**
 * Shard -> gateway, first frame after accept. The gateway proves it holds the cluster key by
 * answering with a MAC over this nonce; nothing but the handshake is accepted before HelloOk.
 */
struct MuxChallenge {
  /** Protocol version the shard speaks (1). */
  1: i32 version
  2: string shardId
  /** 32 random bytes, fresh per connection. */
  3: binary nonce
}

/**
 * Gateway -> shard, the answer to MuxChallenge.
 * mac = HMAC-SHA256(key[keyId], "chat-mux-hello" | challenge.nonce | hello.nonce | utf8(gatewayId)).
 */
struct MuxHello {
  /** Protocol version the gateway speaks (1); a shard that does not speak it closes with HandshakeFailed. */
  1: i32 version
  2: string gatewayId
  /** Which cluster key signed the mac (keys rotate by id). */
  3: string keyId
  /** 32 random bytes, fresh per connection: the shard's MAC in HelloOk covers it. */
  4: binary nonce
  /** 32 bytes. */
  5: binary mac
  /** What the gateway accepts on the shard -> gateway direction. */
  6: MuxSettings settings
}

/**
 * Shard -> gateway: the gateway is authenticated; the shard proves it holds the key too.
 * mac = HMAC-SHA256(key[hello.keyId], "chat-mux-ok" | hello.nonce | challenge.nonce | utf8(shardId)).
 */
struct MuxHelloOk {
  1: string shardId
  /** 32 bytes. */
  2: binary mac
  /** What the shard accepts on the gateway -> shard direction. */
  3: MuxSettings settings
}

/**
 * Gateway -> shard: a new stream (one client connection). Header flag bit 0 (Migrated): the stream
 * replaces one that lived on another shard, and the client should resync.
 */
struct MuxOpen {
  /** The couple the client's token names; the shard checks it owns it at ringEpoch. */
  1: string coupleId
  /** The ring epoch the gateway routed by. */
  2: i64 ringEpoch
  /** The client's address as the gateway sees it ("ip:port"), for logs and limits. */
  3: string clientAddress
  /** The client's raw Auth frame, exactly as received (client framing included); the shard reads it as the stream's first bytes. */
  4: binary authFrame
}

/** Why a stream ends. 0 is not a valid reason (a missing field reads as 0). */
enum ResetReason {
  /** Normal end: the sender closed the stream. */
  Closed = 1,
  /** The shard does not own the couple at an epoch >= the gateway's; MuxReset.epoch holds the shard's epoch. */
  NotOwner = 2,
  /** The shard owned the couple but the ring moved it away; re-open at the new owner (Migrated). */
  Moved = 3,
  /** The receiver stopped returning credit and the sender's bounded queue for the stream filled up. */
  SlowConsumer = 4,
  /** The client's bytes on this stream broke the client protocol; only this stream ends. */
  ProtocolError = 5,
  /** Not accepted: too many streams on the connection, or the shard is draining. Retry elsewhere. */
  Refused = 6,
  /** A bug or an unexpected failure on the sender's side. */
  Internal = 7,
  /** The shard cannot serve the stream now (e.g. its store is down). */
  ShardUnavailable = 8,
  /** The gateway gave up on the stream (e.g. its client went away before the stream was set up). */
  Cancelled = 9,
}

/** Either side ends a stream. Data or Window for a stream already reset is ignored (it may cross the Reset). */
struct MuxReset {
  1: ResetReason reason
  /** For NotOwner: the shard's ring epoch; otherwise 0. */
  2: i64 epoch
  /** Human-readable detail for logs; never parsed. */
  3: string text
}

/** Why a connection is going away. 0 is not a valid reason. */
enum GoAwayReason {
  /** The sender is draining: no new streams; existing ones continue until reset or closed. */
  Draining = 1,
  /** The sender is shutting down and will close the connection. */
  Shutdown = 2,
  /** The receiver broke the mux protocol; the sender closes the connection right after. */
  ProtocolError = 3,
  /** Wrong version, unknown key id or bad MAC; the sender closes the connection right after. */
  HandshakeFailed = 4,
  /** The receiver did not answer a Ping in time; the sender closes the connection right after. */
  PingTimeout = 5,
  /** A bug or an unexpected failure on the sender's side. */
  Internal = 6,
}

/**
 * Connection-level: the sender accepts no stream above lastStreamId. Streams above it were never
 * processed and may be retried elsewhere; streams at or below it continue unless the reason closes
 * the connection.
 */
struct MuxGoAway {
  /** Highest stream id the sender processed (0..2^32-1). */
  1: i64 lastStreamId
  2: GoAwayReason reason
  3: string text
}
