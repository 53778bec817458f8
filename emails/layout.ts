// The frame every mail shares: plain text as written, HTML escaped and wrapped.
import type { TFunction } from "i18next";
import { qrHtmlTable } from "../app/lib/qr";

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

export interface MailBlock {
  /** a paragraph of plain text */
  p?: string;
  /** a link shown as a button in HTML and as a bare URL in text */
  link?: { href: string; label: string };
  /** a short code shown large */
  code?: string;
  /** a QR code of this text (HTML only: the text part writes its content out in another block) */
  qr?: { text: string; label: string };
}

export function renderMail(t: TFunction, subject: string, blocks: MailBlock[]): RenderedMail {
  const text: string[] = [];
  const html: string[] = [];
  for (const block of blocks) {
    if (block.p !== undefined) {
      text.push(block.p);
      html.push(`<p>${escapeHtml(block.p)}</p>`);
    }
    if (block.link) {
      text.push(`${block.link.label}: ${block.link.href}`);
      html.push(
        `<p><a href="${escapeHtml(block.link.href)}" style="display:inline-block;padding:10px 16px;background:#4a2a7a;color:#ffffff;text-decoration:none;border-radius:4px">${escapeHtml(block.link.label)}</a></p>`,
      );
    }
    if (block.qr) html.push(`<div style="margin:12px 0">${qrHtmlTable(block.qr.text, block.qr.label, escapeHtml)}</div>`);
    if (block.code) {
      text.push(block.code);
      html.push(`<p style="font-size:24px;letter-spacing:4px;font-family:monospace"><strong>${escapeHtml(block.code)}</strong></p>`);
    }
  }
  const footer = t("mail.footer");
  text.push("--", footer);
  html.push(`<hr><p style="color:#555;font-size:12px">${escapeHtml(footer)}</p>`);
  return {
    subject,
    text: `${text.join("\n\n")}\n`,
    html: `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5;color:#1a1a1a">${html.join("\n")}</body></html>`,
  };
}

/** Adds the line every non-essential mail carries: a link that stops this kind of mail at once. */
export function withUnsubscribe(t: TFunction, mail: RenderedMail, url: string): RenderedMail {
  const line = t("mail.unsubscribe", { link: url });
  return {
    subject: mail.subject,
    text: `${mail.text}\n${line}\n`,
    html: mail.html.replace(
      "</body>",
      `<p style="color:#555;font-size:12px">${escapeHtml(t("mail.unsubscribeLead"))} <a href="${escapeHtml(url)}">${escapeHtml(t("mail.unsubscribeLink"))}</a></p></body>`,
    ),
  };
}
