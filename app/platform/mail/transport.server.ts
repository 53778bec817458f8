// Where mail goes: an SMTP server when SMTP_URL is set, otherwise .eml files under data/mail/
// so that a local demo needs no mail server.
import fs from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";

export interface OutgoingMail {
  id: number;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  calendar?: { method: "REQUEST" | "CANCEL"; content: string } | null;
  /** a one-click unsubscribe link (RFC 8058) for mail a person may turn off */
  unsubscribe?: string | null;
}

/** The message as nodemailer takes it: an invitation's calendar both as a text/calendar alternative (for mail apps) and an .ics file, and the unsubscribe headers. */
function message(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: {
      "X-Convene-Mail-Id": String(mail.id),
      ...(mail.unsubscribe ? { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } : {}),
    },
    ...(mail.unsubscribe ? { list: { unsubscribe: { url: mail.unsubscribe, comment: "Unsubscribe" } } } : {}),
    ...(mail.calendar
      ? {
          icalEvent: { method: mail.calendar.method, content: mail.calendar.content },
          attachments: [{ filename: "invitation.ics", content: mail.calendar.content, contentType: `text/calendar; charset=utf-8; method=${mail.calendar.method}` }],
        }
      : {}),
  };
}

export interface MailTransport {
  readonly kind: "smtp" | "file";
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function smtpTransport(url: string): MailTransport {
  // One connection kept open and reused for message after message (up to 100, then a fresh one):
  // opening one per message cost about 100 ms each against a local server, 3 ms when reused, and
  // far more with TLS to a distant one. The sender sends one message at a time, so one connection
  // is all it uses. (The options sit beside the URL: a second argument would be message defaults.)
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 1,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as never);
  return {
    kind: "smtp",
    async send(mail) {
      await transporter.sendMail(message(mail));
    },
    close: () => transporter.close(),
  };
}

export function fileTransport(dir: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    kind: "file",
    async send(mail) {
      const info = await transporter.sendMail(message(mail));
      await fs.mkdir(dir, { recursive: true });
      const file = path.join(dir, `${String(mail.id).padStart(6, "0")}.eml`);
      await fs.writeFile(file, info.message as Buffer);
    },
    close: () => transporter.close(),
  };
}

export function transportFromEnv(env: { smtpUrl: string | undefined; dataDir: string }): MailTransport {
  return env.smtpUrl ? smtpTransport(env.smtpUrl) : fileTransport(path.join(env.dataDir, "mail"));
}
