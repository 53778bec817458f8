// A real SMTP server inside the test process; what arrives is parsed with mailparser.
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface SmtpSink {
  readonly url: string;
  readonly port: number;
  readonly messages: ParsedMail[];
  /** Resolves when at least `count` messages have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  stop(): Promise<void>;
  /** Starts again on the same port after stop(). */
  restart(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** how long the server takes over each message before it answers (a slow or distant server) */
  delayMs?: number;
  /** refuses the recipients this answers for, with its reply: "550 5.1.1 No such user" (the mailbox does not exist), "450 …" (try later) */
  rejectRecipient?: (address: string) => string | null;
}

export async function startSmtpSink(port = 0, options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  let server: SMTPServer;
  let boundPort = port;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ["STARTTLS", "AUTH"],
        logger: false,
        // Clients keep their connection open between messages: on stop() they are told the
        // server is shutting down (421) instead of being waited for 30 s.
        closeTimeout: 100,
        onRcptTo(address, _session, callback) {
          const refusal = options.rejectRecipient?.(address.address) ?? null;
          if (refusal === null) return callback();
          const [, code, words] = /^(\d{3}) (.*)$/.exec(refusal) ?? [null, "550", refusal];
          callback(Object.assign(new Error(words), { responseCode: Number(code) }));
        },
        onData(stream, _session, callback) {
          simpleParser(stream)
            .then((mail) => new Promise((r) => setTimeout(r, options.delayMs ?? 0)).then(() => mail))
            .then((mail) => {
              messages.push(mail);
              callback();
            })
            .catch(callback);
        },
      });
      server.on("error", reject);
      server.listen(boundPort, "127.0.0.1", () => {
        const address = (server as unknown as { server: { address(): { port: number } } }).server.address();
        boundPort = address.port;
        resolve();
      });
    });

  await listen();

  return {
    get url() {
      return `smtp://127.0.0.1:${boundPort}`;
    },
    get port() {
      return boundPort;
    },
    messages,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} mails, got ${messages.length}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return messages;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    restart: listen,
  };
}
