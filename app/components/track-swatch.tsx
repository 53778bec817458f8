/** A track's colour dot; an SVG attribute, so the strict style policy needs no inline style. */
export function TrackSwatch({ color }: { color: string }) {
  return (
    <svg className="track-swatch-svg" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <circle cx="6" cy="6" r="5.5" fill={color} stroke="rgba(0,0,0,0.3)" />
    </svg>
  );
}
