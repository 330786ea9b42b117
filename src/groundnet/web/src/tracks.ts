// Ground tracks of the Earth orbiters worth one (in contact, or chosen), ±45 min around the moment
// shown, fetched when the moment moves past the slack and shared by every map that draws them.
import { api } from "./api";
import type { Board, GroundTrack } from "./contract";
import { isoUtc } from "./format";
import { TRACK_HALF_SPAN_MS, focusSpacecraft, isEarthOrbiter, type WorldMap } from "./map";

const TRACK_SLACK_MS = 10 * 60_000;

export class TrackCache {
  private readonly tracks = new Map<string, GroundTrack>();
  private readonly centre = new Map<string, number>();
  private readonly maps: WorldMap[] = [];

  /** A map that draws the tracks as they come. */
  drawOn(map: WorldMap): void {
    this.maps.push(map);
  }

  /** The time moved by the viewer: every track is fetched again around the new moment. */
  reset(): void {
    this.centre.clear();
  }

  refresh(board: Board, now: number, chosen: string | null): void {
    const focus = focusSpacecraft(board, chosen);
    for (const sc of board.spacecraft) {
      if (!isEarthOrbiter(sc) || !focus.has(sc.id)) continue;
      const centre = this.centre.get(sc.id);
      if (centre !== undefined && Math.abs(centre - now) < TRACK_SLACK_MS) continue;
      this.centre.set(sc.id, now);
      const span = TRACK_HALF_SPAN_MS + TRACK_SLACK_MS;
      api.track(sc.id, isoUtc(now - span), isoUtc(now + span), 60).then(
        (track) => {
          this.tracks.set(sc.id, track);
          for (const map of this.maps) map.setTracks(this.tracks);
        },
        () => this.tracks.delete(sc.id),
      );
    }
  }
}
