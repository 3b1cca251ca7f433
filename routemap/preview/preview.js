// routemap preview: ask the server for the next drawing (a long poll: it answers as soon as the
// data folder changes) and swap it in; on bad data, show the problems over the last map.
(function () {
  "use strict";
  var status = document.getElementById("status");
  var problems = document.getElementById("problems");
  var notes = document.getElementById("notes");
  var main = document.querySelector("main");
  var map = document.getElementById("map");
  var version = Number(status.getAttribute("data-version"));

  function list(el, items) {
    el.textContent = "";
    items.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      el.appendChild(li);
    });
  }

  function show(state, svgText) {
    if (svgText !== null) {
      var doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
      var svg = doc.documentElement;
      if (svg && svg.nodeName === "svg") {
        map.replaceChildren(document.importNode(svg, true));
      }
    }
    list(problems, state.problems);
    problems.hidden = state.ok;
    list(notes, state.notes);
    main.classList.toggle("stale", !state.ok);
    status.textContent = state.ok
      ? "Drawn at " + state.drawn_at + " in " + Math.round(state.seconds * 1000) + " ms."
      : "The data has problems: the map below is the last one that drew.";
    status.setAttribute("data-version", String(state.version));
    map.setAttribute("data-version", String(state.version));
  }

  function wait(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  async function next() {
    var answer = await fetch("/state?after=" + version, { cache: "no-store" });
    var state = await answer.json();
    if (state.version <= version) return;
    var svgText = null;
    if (state.ok) {
      svgText = await (await fetch("/map.svg?v=" + state.version, { cache: "no-store" })).text();
    }
    version = state.version;
    show(state, svgText);
  }

  async function loop() {
    for (;;) {
      try {
        await next();
      } catch (err) {
        status.textContent = "The preview has stopped: run routemap preview again, then reload.";
        await wait(2000);
      }
    }
  }

  loop();
})();
