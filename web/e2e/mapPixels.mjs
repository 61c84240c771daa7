// Reading what a map really drew (issue 20): a screenshot of the map, decoded in the page
// itself (no PNG library), counted by colour: base map colours of the repository's style
// (crates/tripgen/location/basemap/style.json), the first day's route colour, distinct colours.

/** Waits until the server lists the tile set `id` (it builds them after its first start). */
export async function waitForTileSet(base, id, ms = 240_000) {
  for (const until = Date.now() + ms; ; ) {
    const r = await fetch(`${base}/tiles/${id}.json`).catch(() => undefined);
    if (r?.ok) return;
    if (Date.now() > until) throw new Error(`no tile set ${id} ${ms / 1000} s after start`);
    await new Promise((res) => setTimeout(res, 1000));
  }
}

/** Share of base-map pixels, route pixels (count) and distinct colours in `selector`. */
export async function mapPixels(page, selector, route = '#0f766e') {
  const png = (await page.locator(selector).screenshot()).toString('base64');
  return page.evaluate(
    async ({ png, route }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${png}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
      // Water, park, grass, wood, building, road casing, major road, motorway.
      const base = ['#a9cbe8', '#cfe5b8', '#d8e8c8', '#c5dcb0', '#dcd6cb', '#cfc6b8', '#fff4d6', '#f6d28b'].map(hex);
      const day = hex(route);
      const near = (r, gr, b, [x, y, z], tol) => Math.abs(r - x) <= tol && Math.abs(gr - y) <= tol && Math.abs(b - z) <= tol;
      let onBase = 0;
      let onRoute = 0;
      const colours = new Set();
      for (let i = 0; i < d.length; i += 4) {
        const [r, gr, b] = [d[i], d[i + 1], d[i + 2]];
        colours.add((r >> 3) * 1024 + (gr >> 3) * 32 + (b >> 3));
        if (base.some((k) => near(r, gr, b, k, 6))) onBase++;
        if (near(r, gr, b, day, 24)) onRoute++;
      }
      return { base: onBase / (d.length / 4), route: onRoute, colours: colours.size };
    },
    { png, route },
  );
}
