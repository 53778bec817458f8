// What the suggestion's page shows. Types only, so the page's components can use them in the browser.
import type { SuggestionStatus } from "../../../db/schema";
import type { Score } from "../../modules/agenda/instance";

/** Where a running suggestion is; also the JSON the page polls with JavaScript. */
export interface SuggestionProgressView {
  id: number;
  status: SuggestionStatus;
  stopRequested: boolean;
  elapsedSeconds: number;
  limitSeconds: number;
  secondsLeft: number;
  iterations: number;
  /** the best figures found so far; null before the first schedule */
  best: Score | null;
  /** the working agenda's figures when the suggestion started (null until worked out) */
  before: Score | null;
}

export interface PlaceView {
  time: string;
  room: string;
}

export interface SuggestionView extends SuggestionProgressView {
  keep: boolean;
  fairness: boolean;
  stale: boolean;
  error: string | null;
  createdAt: string;
  /** the suggestion's figures */
  after: Score | null;
  basis: "published" | "working" | null;
  /** from null: newly placed; to null: taken off the agenda */
  moves: Array<{ proposalId: number; title: string; from: PlaceView | null; to: PlaceView | null }>;
  unplaced: Array<{ title: string; reason: string }>;
}

export interface SuggestionPage {
  convening: { slug: string; title: string };
  keepByDefault: boolean;
  publishedNumber: number | null;
  job: SuggestionView | null;
}
