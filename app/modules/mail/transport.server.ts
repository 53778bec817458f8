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
}

/** The calendar of an invitation both as a text/calendar alternative (for mail apps) and an .ics file. */
function calendarParts(mail: OutgoingMail) {
  if (!mail.calendar) return {};
  return {
    icalEvent: { method: mail.calendar.method, content: mail.calendar.content },
    attachments: [{ filename: "invitation.ics", content: mail.calendar.content, contentType: `text/calendar; charset=utf-8; method=${mail.calendar.method}` }],
  };
}

export interface MailTransport {
  readonly kind: "smtp" | "file";
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as never);
  return {
    kind: "smtp",
    async send(mail) {
      await transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: { "X-Convene-Mail-Id": String(mail.id) },
        ...calendarParts(mail),
      });
    },
    close: () => transporter.close(),
  };
}

export function fileTransport(dir: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    kind: "file",
    async send(mail) {
      const info = await transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: { "X-Convene-Mail-Id": String(mail.id) },
        ...calendarParts(mail),
      });
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
