// The rate-limit gauge: limit, remaining and a countdown to the window reset, from the
// `rateLimit` the SDK decodes from each response's X-RateLimit-* headers.

export class RateLimitGauge {
  constructor(doc = document) {
    this.arc = doc.getElementById("rl-arc");
    this.big = doc.getElementById("rl-big");
    this.label = doc.getElementById("rl-gauge-label");
    this.limitEl = doc.getElementById("rl-limit");
    this.remainingEl = doc.getElementById("rl-remaining");
    this.resetEl = doc.getElementById("rl-reset");
    this.lastEl = doc.getElementById("rl-last");
    this.state = { limit: null, remaining: null, resetAt: null };
    this.timer = setInterval(() => this.#tick(), 250);
  }

  /** Takes an onResponse event; responses without rate-limit headers keep the last values. */
  update(ev) {
    const rl = ev.rateLimit ?? {};
    if (rl.limit !== null && rl.limit !== undefined) this.state.limit = rl.limit;
    if (rl.remaining !== null && rl.remaining !== undefined) this.state.remaining = rl.remaining;
    if (rl.resetAt !== null && rl.resetAt !== undefined) this.state.resetAt = rl.resetAt;
    this.lastEl.textContent = ev.status === null ? "no response" : String(ev.status);
    this.#draw();
  }

  #draw() {
    const { limit, remaining } = this.state;
    const frac = limit && remaining !== null ? Math.max(0, Math.min(1, remaining / limit)) : 0;
    this.arc.setAttribute("stroke-dasharray", `${(frac * 100).toFixed(2)} 100`);
    this.arc.classList.toggle("low", frac < 0.25);
    this.arc.classList.toggle("mid", frac >= 0.25 && frac < 0.5);
    this.big.textContent = remaining === null ? "–" : String(remaining);
    this.limitEl.textContent = limit === null ? "–" : `${limit} / window`;
    this.remainingEl.textContent = remaining === null ? "–" : String(remaining);
    this.label.textContent =
      limit === null ? "Rate limit: no response yet" : `Rate limit: ${remaining} of ${limit} requests remaining`;
    this.#tick();
  }

  #tick() {
    const { resetAt } = this.state;
    let text = "–";
    if (resetAt !== null) {
      const left = resetAt - Date.now();
      text = left > 0 ? `${Math.ceil(left / 1000)} s` : "now (next response refreshes)";
    }
    if (this.resetEl.textContent !== text) this.resetEl.textContent = text;
  }
}
