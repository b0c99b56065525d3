// The varec page: asks a new visitor about a few items chosen by the elicitation endpoint, folds
// their answers in after each one (POST /v1/recommendations/fold-in) and shows the recommendations
// with how sure the model is (the 90% interval of a Bayesian model as a bar). No libraries.
"use strict";
const state = { model: null, answers: [], asked: new Set(), scale: [1, 5], bayesian: false };

async function api(path, body) {
  const r = await fetch(path, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
  });
  const j = await r.json();
  if (!r.ok) { throw new Error(j.error || ("HTTP " + r.status)); }
  return j;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("on")) { e.addEventListener(k.slice(2), v); } else { e.setAttribute(k, v); }
  }
  for (const c of children) { e.append(c); }
  return e;
}

async function start() {
  const m = (await api("/v1/models")).models[0];
  state.model = m.name;
  // star buttons from the model's rating scale; 1..5 when the model has none (or an odd one)
  state.scale = m.scale && m.scale[1] - m.scale[0] >= 1 && m.scale[1] - m.scale[0] <= 10 ? m.scale : [1, 5];
  state.bayesian = m.bayesian;
  document.getElementById("model-line").textContent =
      `Model ${m.name} (${m.algorithm}) over ${m.items} items` + (m.bayesian ? ", with uncertainty" : "");
  document.getElementById("more").addEventListener("click", ask);
  await ask();
}

async function ask() {
  const strategy = state.bayesian ? "variance" : "popular";
  const next = await api("/v1/elicit/next",
      { model: state.model, strategy, n: 4, answers: state.answers, exclude: [...state.asked] });
  const list = document.getElementById("questions");
  for (const it of next.items) {
    if (state.asked.has(it.item)) { continue; }
    state.asked.add(it.item);
    const stars = el("span", { class: "stars", role: "group", "aria-label": "rate " + it.title });
    for (let v = Math.ceil(state.scale[0]); v <= Math.floor(state.scale[1]); v++) {
      stars.append(el("button", { type: "button", "data-item": it.item, "data-rating": String(v),
        "aria-label": `${it.title}: ${v}`, onclick: () => answer(it, v, li) }, String(v)));
    }
    const li = el("li", { "data-item": it.item }, el("strong", {}, it.title), " ", stars);
    list.append(li);
  }
}

async function answer(item, rating, li) {
  state.answers = state.answers.filter(a => a.item !== item.item).concat([{ item: item.item, rating }]);
  li.classList.add("answered");
  li.querySelector(".stars").replaceWith(el("span", {}, ` you said ${rating}`));
  await recommend();
  if (document.querySelectorAll("#questions li:not(.answered)").length === 0) { await ask(); }
}

async function recommend() {
  const r = await api("/v1/recommendations/fold-in", { model: state.model, ratings: state.answers, k: 10 });
  const list = document.getElementById("recs");
  list.replaceChildren();
  document.getElementById("recs-hint").textContent =
      `From your ${r.used} answer${r.used === 1 ? "" : "s"}` + (state.bayesian ? "; bars show the 90% interval of your predicted rating." : ".");
  const [lo, hi] = state.scale;
  for (const it of r.items) {
    const a = el("a", { class: "item", tabindex: "0", role: "button", onclick: () => detail(it),
      onkeydown: e => { if (e.key === "Enter") { detail(it); } } }, it.title);
    const li = el("li", { "data-item": it.item }, a, el("span", { class: "sure" }, `predicted ${it.rating.toFixed(1)}`));
    if (it.sd !== undefined) {
      const left = Math.max(0, (it.lower - lo) / (hi - lo)), right = Math.min(1, (it.upper - lo) / (hi - lo));
      // the 90% interval on a track spanning the rating scale, the prediction as a tick
      const bar = el("span", { class: "bar", role: "img",
        "aria-label": `90% interval ${it.lower.toFixed(1)} to ${it.upper.toFixed(1)}`,
        title: `90% interval ${it.lower.toFixed(1)} to ${it.upper.toFixed(1)}`,
        style: `left:${left * 100}%; width:${(right - left) * 100}%` });
      bar.append(el("span", { style: `left:${Math.min(1, Math.max(0, ((it.rating - lo) / (hi - lo) - left) / Math.max(1e-9, right - left))) * 100}%` }));
      li.append(el("span", { class: "track" }, bar), el("span", { class: "sure" }, `± ${(1.645 * it.sd).toFixed(1)}`));
    }
    list.append(li);
  }
}

async function detail(it) {
  const box = document.getElementById("detail");
  box.hidden = false;
  document.getElementById("detail-title").textContent = it.title;
  const list = document.getElementById("similar");
  list.replaceChildren();
  try {
    const s = await api(`/v1/items/${encodeURIComponent(it.item)}/similar?k=5&model=${encodeURIComponent(state.model)}`);
    for (const x of s.items) { list.append(el("li", {}, x.title)); }
  } catch (e) {
    list.append(el("li", {}, e.message));
  }
}

start().catch(e => { document.getElementById("model-line").textContent = "Error: " + e.message; });
