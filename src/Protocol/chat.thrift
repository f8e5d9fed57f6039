/*
 * The client protocol: packets between a chat client (phone, desktop, loadtest, the C# client SDK)
 * and the chat shard that owns its couple. Gateways relay these packets without decoding them,
 * except the first one (Auth), which they read to route the connection.
 *
 * This file is the published contract. docs/protocol.md describes the framing around it
 * (u32 length | u8 flags | body, optional LZ4) and the limits. Generated C# lives in
 * src/Protocol/Packets/Generated (scripts/gen-thrift.sh); never edit it by hand.
 *
 * Wire encoding: one ClientPacket per frame, Thrift compact protocol, no Thrift message envelope.
 *
 * Evolution rules (keep old clients working):
 *   - never reuse or renumber a field id or an enum value; add new ones with new ids;
 *   - never change a field's type; add a new field instead;
 *   - readers skip fields and union members they do not know; a packet whose only member is
 *     unknown to the receiver is answered with Error{BadRequest} and the connection stays open;
 *   - unknown enum values arrive as their number: treat an unknown ErrorCode like Internal and an
 *     unknown MessageKind as "show a placeholder".
 *
 * Conventions:
 *   - ids (userId, coupleId, deviceId) are the strings of the auth token: 1-64 chars of [A-Za-z0-9_-];
 *   - seq is the couple's message sequence number: 1, 2, 3 ... assigned by the shard, never reused;
 *     0 means "none yet";
 *   - times are Unix milliseconds (UTC) on the server's clock;
 *   - "C->S" marks packets a client sends, "S->C" packets the shard sends, "both" either way.
 */

namespace netstd Chat.Protocol.Packets

/** What a message body holds. The body's encoding is fixed per kind. */
enum MessageKind {
  /** body: UTF-8 text. */
  Text = 1,
  /** body: UTF-8 JSON {"url", "width", "height", "thumb"} of an uploaded image. */
  Image = 2,
  /** body: UTF-8 sticker id, e.g. "pack/42". */
  Sticker = 3,
  /** body: UTF-8 JSON {"url", "durationMs"} of an uploaded voice clip. */
  Voice = 4,
  /** body: UTF-8 JSON {"url", "name", "size"} of an uploaded file. */
  File = 5,
}

/** Why the shard (or the gateway, for the first frame) refused something. Sent in Error. */
enum ErrorCode {
  /** Malformed frame or packet: reserved flag bits, bad Thrift body, two union members. Connection closes. */
  ProtocolError = 1,
  /** A frame or its decompressed body exceeds the limits (64 KiB / 256 KiB by default). Connection closes. */
  FrameTooLarge = 2,
  /** The LZ4 block is corrupt or does not decompress to its declared length. Connection closes. */
  BadCompression = 3,
  /** A packet other than Auth arrived before authentication, or Auth did not arrive in time. Connection closes. */
  AuthRequired = 4,
  /** The token is malformed, signed with an unknown key, or has a bad signature. Connection closes. */
  AuthFailed = 5,
  /** The token has expired: get a new one, then reconnect. Connection closes. */
  TokenExpired = 6,
  /** A second Auth on an authenticated connection. The connection stays open. */
  AlreadyAuthenticated = 7,
  /** This shard does not own the couple (ring changed). Reconnect; the gateway routes anew. */
  NotOwner = 8,
  /** Too many packets or bytes: wait retryAfterMs, then retry. The connection stays open. */
  RateLimited = 9,
  /** A dependency (storage) is unavailable: retry after retryAfterMs with the same clientMsgId. */
  Unavailable = 10,
  /** A well-formed packet with invalid content (empty clientMsgId, body too long, bad limit...). */
  BadRequest = 11,
  /** A bug on the server. Retrying the same packet may help. */
  Internal = 12,
  /** The server is shutting down; GoAway usually precedes this. Reconnect. */
  ShuttingDown = 13,
}

/**
 * C->S. Must be the first packet of a connection, within the auth deadline (default 10 s).
 * The shard answers AuthOk, or Error{AuthFailed | TokenExpired} and closes.
 */
struct Auth {
  /** The signed token v1.<keyId>.<userId>.<coupleId>.<expiresUnix>.<sig> (docs/protocol.md). */
  1: string token,
  /** Identifies this device of the user (1-64 chars of [A-Za-z0-9_-]); stable across reconnects. */
  2: string deviceId,
  /** The highest seq this device has stored; 0 if none. AuthOk.latestSeq tells whether to Sync. */
  3: i64 lastSeq,
}

/** S->C. Authentication succeeded; the connection is now bound to the couple. */
struct AuthOk {
  /** The authenticated user (from the token). */
  1: string userId,
  /** The user's couple (from the token). */
  2: string coupleId,
  /** True when at least one device of the partner is connected. */
  3: bool partnerOnline,
  /** The couple's highest seq; if above Auth.lastSeq, the client should Sync. */
  4: i64 latestSeq,
  /** The server's clock, Unix ms, so the client can estimate its clock offset. */
  5: i64 serverTime,
}

/**
 * C->S. Send a message to the couple. The shard answers Ack once the message is stored, then
 * delivers Message to every other device of the couple (and the sender's other devices).
 * Resending with the same clientMsgId after a reconnect is safe: the shard stores it once and
 * answers Ack with the original seq.
 */
struct Send {
  /** Client-chosen idempotency key, 1-64 chars, unique per sender (e.g. a UUID). */
  1: string clientMsgId,
  /** How to read body. */
  2: MessageKind kind,
  /** The content, encoded as kind says. Bounded by the frame limits. */
  3: binary body,
}

/** S->C. The Send with this clientMsgId is stored durably under seq. */
struct Ack {
  /** Echo of Send.clientMsgId. */
  1: string clientMsgId,
  /** The message's seq in the couple. */
  2: i64 seq,
  /** When the shard stored it, Unix ms. */
  3: i64 serverTime,
}

/** S->C. A stored message, live or inside SyncResult. */
struct Message {
  /** The message's seq in the couple; a device that sees a gap should Sync. */
  1: i64 seq,
  /** The user who sent it. */
  2: string senderId,
  /** How to read body. */
  3: MessageKind kind,
  /** The content, encoded as kind says. */
  4: binary body,
  /** When the shard stored it, Unix ms. */
  5: i64 serverTime,
  /** The sender's clientMsgId, so the sender's devices can match it to a pending Send. */
  6: string clientMsgId,
}

/**
 * both. C->S: this user starts (on=true) or stops typing. S->C: relayed to the partner with
 * userId set. Expires on the shard after a few seconds without a refresh.
 */
struct Typing {
  /** True while typing. */
  1: bool on,
  /** Who is typing; set by the shard when relaying, ignored when a client sends it. */
  2: optional string userId,
}

/** S->C. A user's connection state changed (also sent for the partner right after AuthOk). */
struct Presence {
  /** The user whose state changed. */
  1: string userId,
  /** True when at least one device of that user is connected. */
  2: bool online,
  /** How many devices of that user are connected. */
  3: i32 devices,
}

/**
 * both. C->S: this user has read every message up to and including seq. S->C: relayed to the
 * partner and the user's other devices with userId set. Read marks only move forward.
 */
struct ReadUpTo {
  /** Highest seq read. */
  1: i64 seq,
  /** Whose read mark this is; set by the shard when relaying, ignored when a client sends it. */
  2: optional string userId,
}

/** C->S. Ask for stored messages with seq > afterSeq, oldest first. The shard answers SyncResult. */
struct Sync {
  /** Return messages after this seq; 0 for the whole history. */
  1: i64 afterSeq,
  /** At most this many messages (>= 1); the shard may return fewer and then answers more=true. */
  2: i32 limit,
}

/** S->C. The answer to Sync. */
struct SyncResult {
  /** The messages with seq > Sync.afterSeq, in seq order. At most 4096 per packet (decoder limit). */
  1: list<Message> messages,
  /** True when more messages follow: send Sync again with afterSeq = the last seq received. */
  2: bool more,
  /** The couple's highest seq at the time of the answer. */
  3: i64 latestSeq,
}

/** both. Liveness probe; the peer answers Pong with the same nonce. */
struct Ping {
  /** Any value; echoed in Pong. */
  1: i64 nonce,
}

/** both. The answer to Ping. */
struct Pong {
  /** Ping.nonce. */
  1: i64 nonce,
}

/**
 * S->C. The client may have missed messages (its connection moved to another shard, or the shard
 * restarted): it should Sync from its last seq and resend unacknowledged Sends with the same
 * clientMsgId.
 */
struct ResyncHint {
  /** The couple's highest seq known to the shard. */
  1: i64 latestSeq,
}

/**
 * S->C. The server will close this connection (drain): reconnect at a random moment within
 * reconnectWithinMs, so reconnects spread out. The client may finish in-flight work until then.
 */
struct GoAway {
  /** Reconnect within this many ms (jittered by the server per connection). */
  1: i32 reconnectWithinMs,
  /** Human-readable reason for logs, e.g. "draining". */
  2: string reason,
}

/** S->C. Something failed; code says what and whether the connection stays open. */
struct Error {
  /** What failed. */
  1: ErrorCode code,
  /** Human-readable detail for logs; never parse it. */
  2: string text,
  /** For RateLimited and Unavailable: retry after this many ms. */
  3: optional i32 retryAfterMs,
  /** When a Send failed (RateLimited, Unavailable, BadRequest): its clientMsgId, so the client can match it. */
  4: optional string clientMsgId,
}

/**
 * The body of every client frame: exactly one member is set. More than one member is a protocol
 * error; no member this receiver knows (an empty union, or a packet added by a newer peer) is
 * answered with Error{BadRequest}. Members are numbered for good: add new packets with new ids.
 */
union ClientPacket {
  1: Auth auth,
  2: AuthOk authOk,
  3: Send send,
  4: Ack ack,
  5: Message message,
  6: Typing typing,
  7: Presence presence,
  8: ReadUpTo readUpTo,
  9: Sync sync,
  10: SyncResult syncResult,
  11: Ping ping,
  12: Pong pong,
  13: ResyncHint resyncHint,
  14: GoAway goAway,
  15: Error error,
}
