/**
 * The Jupyter messaging protocol (v5.3) wire format, as a client speaks it.
 *
 * A message on a ZeroMQ socket is a multipart frame list:
 *
 *   [routing ids...] "<IDS|MSG>" signature header parent_header metadata content [buffers...]
 *
 * where `signature` is the hex HMAC (here HMAC-SHA256, `signature_scheme` in the connection file)
 * of the four JSON frames header, parent_header, metadata and content, keyed by the connection
 * file's `key`. See https://jupyter-client.readthedocs.io/en/latest/messaging.html (The Wire
 * Protocol). Only this file knows the frame layout; the kernel client works with `JupyterMessage`.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export const PROTOCOL_VERSION = "5.3";
export const DELIMITER = "<IDS|MSG>";
const DELIMITER_BYTES = Buffer.from(DELIMITER);

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  /** ISO 8601 time the message was created (the sender's clock). */
  date: string;
  msg_type: string;
  version: string;
}

export interface JupyterMessage<C = Record<string, unknown>> {
  /** Routing identities before the delimiter (empty for DEALER/SUB). */
  identities: Buffer[];
  header: MessageHeader;
  /** The header of the request this message answers; `{}` for unsolicited messages. */
  parentHeader: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

/** Builds request headers for one client session (one kernel connection). */
export class Session {
  readonly id = randomUUID();
  constructor(
    readonly key: string,
    readonly username = "gan-course",
  ) {}

  header(msgType: string): MessageHeader {
    return {
      msg_id: randomUUID(),
      session: this.id,
      username: this.username,
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    };
  }

  /** A new request message (no parent). */
  request<C>(msgType: string, content: C): JupyterMessage<C> {
    return {
      identities: [],
      header: this.header(msgType),
      parentHeader: {},
      metadata: {},
      content,
      buffers: [],
    };
  }

  sign(frames: (string | Buffer)[]): string {
    if (!this.key) return "";
    const hmac = createHmac("sha256", this.key);
    for (const f of frames) hmac.update(f);
    return hmac.digest("hex");
  }

  /** Serialises a message to ZeroMQ frames. */
  encode(msg: JupyterMessage<unknown>): Buffer[] {
    const body = [
      JSON.stringify(msg.header),
      JSON.stringify(msg.parentHeader),
      JSON.stringify(msg.metadata),
      JSON.stringify(msg.content),
    ];
    return [
      ...msg.identities,
      DELIMITER_BYTES,
      Buffer.from(this.sign(body)),
      ...body.map((s) => Buffer.from(s)),
      ...msg.buffers,
    ];
  }

  /**
   * Parses and verifies ZeroMQ frames. Throws on a missing delimiter, a short message or a bad
   * signature (a message signed with another key must never be trusted).
   */
  decode(frames: Buffer[]): JupyterMessage {
    const at = frames.findIndex((f) => f.equals(DELIMITER_BYTES));
    if (at < 0) throw new Error("jupyter message without <IDS|MSG> delimiter");
    if (frames.length < at + 6) throw new Error(`jupyter message too short (${frames.length} frames)`);
    const signature = frames[at + 1].toString();
    const body = frames.slice(at + 2, at + 6);
    if (this.key) {
      const expected = Buffer.from(this.sign(body));
      const got = Buffer.from(signature);
      if (expected.length !== got.length || !timingSafeEqual(expected, got)) {
        throw new Error("jupyter message with an invalid HMAC signature");
      }
    }
    const [header, parentHeader, metadata, content] = body.map((b) => JSON.parse(b.toString("utf8")));
    return {
      identities: frames.slice(0, at),
      header,
      parentHeader: parentHeader ?? {},
      metadata: metadata ?? {},
      content: content ?? {},
      buffers: frames.slice(at + 6),
    };
  }
}
