#include "flame/svg_script.h"

namespace iotrace::flame {

// Written for this project (flamegraph.pl's behaviour, not its code). Kept
// free of the sequence that would end the CDATA section it sits in.
const std::string_view kSvgScript = R"JS(
"use strict";
var width, pad, font, total = 0;
var frames = [];  // {g, rect, text, name, s, w, d, fill}
var details, matched, searchBtn, unzoomBtn;
var zoomed = null, searching = null;

function init() {
  var svg = document.documentElement;
  width = parseFloat(svg.getAttribute("data-width"));
  pad = parseFloat(svg.getAttribute("data-pad"));
  font = parseFloat(svg.getAttribute("data-font"));
  details = document.getElementById("details");
  matched = document.getElementById("matched");
  searchBtn = document.getElementById("search");
  unzoomBtn = document.getElementById("unzoom");
  var gs = document.getElementById("frames").getElementsByTagName("g");
  for (var i = 0; i < gs.length; i++) {
    var g = gs[i], title = g.getElementsByTagName("title")[0].textContent;
    var f = {
      g: g, rect: g.getElementsByTagName("rect")[0], text: g.getElementsByTagName("text")[0],
      name: title.substring(0, title.lastIndexOf(" (")), title: title,
      s: parseFloat(g.getAttribute("data-s")), w: parseFloat(g.getAttribute("data-w")),
      d: parseInt(g.getAttribute("data-d"), 10)
    };
    f.fill = f.rect.getAttribute("fill");
    if (f.d === 0) total = f.w;
    g.addEventListener("mouseover", show_details.bind(null, f));
    g.addEventListener("mouseout", clear_details);
    g.addEventListener("click", zoom.bind(null, f));
    frames.push(f);
  }
  searchBtn.addEventListener("click", function () { searching === null ? ask_search() : reset_search(); });
  unzoomBtn.addEventListener("click", unzoom);
  window.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && (e.key === "f" || e.key === "F")) { e.preventDefault(); ask_search(); }
    else if (e.key === "Escape") { reset_search(); }
  });
}

function set_text(el, s) { el.textContent = s; }
function show_details(f) { set_text(details, f.title); }
function clear_details() { set_text(details, " "); }

// The label that fits width px: the name, or its start and "..", or nothing.
function fit(name, w) {
  var chars = Math.floor((w - 6) / (font * 0.59));
  if (chars < 3) return "";
  var cps = Array.from(name);
  if (cps.length <= chars) return name;
  return cps.slice(0, chars - 2).join("") + "..";
}

function place(f, x, w) {
  f.rect.setAttribute("x", x.toFixed(2));
  f.rect.setAttribute("width", w.toFixed(2));
  f.text.setAttribute("x", (x + 3).toFixed(2));
  set_text(f.text, fit(f.name, w));
}

// Shows f across the whole width, its descendants scaled with it, its
// ancestors full width and faded; hides the rest.
function zoom(f) {
  zoomed = f;
  var scale = (width - 2 * pad) / f.w;
  for (var i = 0; i < frames.length; i++) {
    var o = frames[i], cls = o.g.classList;
    cls.remove("hide", "parent");
    if (o.d < f.d && o.s <= f.s && o.s + o.w >= f.s + f.w) {
      place(o, pad, width - 2 * pad);
      cls.add("parent");
    } else if (o.d >= f.d && o.s >= f.s && o.s + o.w <= f.s + f.w) {
      place(o, pad + (o.s - f.s) * scale, o.w * scale);
    } else {
      cls.add("hide");
    }
  }
  unzoomBtn.classList.remove("hide");
  if (searching !== null) search(searching);
}

function unzoom() {
  zoomed = null;
  var scale = (width - 2 * pad) / total;
  for (var i = 0; i < frames.length; i++) {
    var o = frames[i];
    o.g.classList.remove("hide", "parent");
    place(o, pad + o.s * scale, o.w * scale);
  }
  unzoomBtn.classList.add("hide");
  if (searching !== null) search(searching);
}

function zoom_to(name) {
  for (var i = 0; i < frames.length; i++) {
    if (frames[i].name === name) { zoom(frames[i]); return true; }
  }
  return false;
}

function ask_search() {
  var term = window.prompt("Search frames (regular expression)", searching === null ? "" : searching);
  if (term !== null && term !== "") search(term);
}

// Colours the frames whose name matches and states the share of the weight
// they cover (nested matches counted once), of all or of the zoomed frame.
function search(term) {
  var re;
  try { re = new RegExp(term); } catch (e) { set_text(matched, "bad regular expression"); return -1; }
  searching = term;
  var spans = [];
  for (var i = 0; i < frames.length; i++) {
    var f = frames[i];
    if (f.d > 0 && re.test(f.name)) {
      f.rect.setAttribute("fill", "rgb(230,0,230)");
      spans.push([f.s, f.s + f.w]);
    } else {
      f.rect.setAttribute("fill", f.fill);
    }
  }
  var lo = zoomed === null ? 0 : zoomed.s, hi = zoomed === null ? total : zoomed.s + zoomed.w;
  spans.sort(function (a, b) { return a[0] - b[0]; });
  var sum = 0, end = lo;
  for (var k = 0; k < spans.length; k++) {
    var a = Math.max(spans[k][0], end), b = Math.min(spans[k][1], hi);
    if (b > a) { sum += b - a; end = b; }
  }
  var share = hi > lo ? 100 * sum / (hi - lo) : 0;
  set_text(matched, "Matched: " + share.toFixed(2) + "%");
  set_text(searchBtn, "Reset Search");
  searchBtn.classList.add("on");
  return share;
}

function reset_search() {
  searching = null;
  for (var i = 0; i < frames.length; i++) frames[i].rect.setAttribute("fill", frames[i].fill);
  set_text(matched, " ");
  set_text(searchBtn, "Search");
  searchBtn.classList.remove("on");
}
)JS";

}  // namespace iotrace::flame
