{# The Playback element's script: a Jinja macro body that folium renders. Values in `this` are JSON made safe by script_json. Rules: see regionmap/web/_playback.py. -#}
(function () {
  var map = {{ this._parent.get_name() }};
  var allFrames = {{ this.frames_json }}, first = {{ this.start_json }};
  var startText = {{ this.start_text_json }}, openStart = {{ this.open_start_json }};
  var counted = {{ this.counted_json }}, speeds = {{ this.speeds_json }};
  var months = {{ this.months_json }}, cube = {{ this.cube_json }};
  var steps = Object.keys(allFrames);
  var step = {{ this.step_json }}, frames = allFrames[step];
  var i = frames.length - 1, speed = speeds[1], timer = null;
  // What this map drew (a dashboard rerun redraws in the same page: globals move on)
  var cluster = window.regionmapEvents;
  var markers = cluster && cluster._map === map ? window.regionmapMarkers : [];
  var groups = Object.values(window.regionmapLayers || {}).filter(function (g) {
    return g._map === map; });
  // Grid cells through the cube (regionmap/web/_cube.py): per step, frame k's entries are
  // cell[offsets[k]:offsets[k+1]] with count[...] events starting in it. `acc` holds each
  // cell's events up to frame `at`; moving between frames adds or takes off the frames
  // passed, and only the cells touched are restyled.
  var cellGroup = window.regionmapEventCells;
  var cellLayers = cube && cellGroup && cellGroup._map === map ? cellGroup.rmCells : null;
  var decoded = {}, cur = null, acc = null, seen = null, at = -1, total = 0, pass = 0;
  function unpack(p) {  // [base64 of little-endian uint8/16/32, bits]: a typed array
    var s = atob(p[0]), b = new Uint8Array(s.length);
    for (var k = 0; k < s.length; k++) { b[k] = s.charCodeAt(k); }
    if (p[1] === 8) { return b; }
    return p[1] === 16 ? new Uint16Array(b.buffer) : new Uint32Array(b.buffer);
  }
  function cubeOf(s) {
    if (!decoded[s]) {
      decoded[s] = {o: unpack(cube[s].offsets), c: unpack(cube[s].cell),
                    n: unpack(cube[s].count)};
    }
    return decoded[s];
  }
  function restyle(k) {
    var l = cellLayers[k], n = acc[k];
    if (l.rmCount === n) { return; }
    if (n === 0) { cellGroup.removeLayer(l); } else if (l.rmCount === 0) { cellGroup.addLayer(l); }
    l.rmCount = n;
    if (n === 0) { return; }
    // sizes in half pixels: a month's few events seldom move one, and a circle redrawn is
    // what a frame costs
    var r = Math.round(8 + 32 * Math.sqrt(n / cellGroup.rmBiggest)) / 2;
    if (r !== l.getRadius()) { l.setRadius(r); }
  }
  function showCells() {  // the cellLayers up to frame i of the step; returns the events shown
    var q = cubeOf(step), touched = [];
    if (q !== cur) {  // a new step: from nothing, every cell restyled
      cur = q; acc = new Float64Array(cellLayers.length); seen = new Int32Array(cellLayers.length);
      at = -1; total = 0; touched = cellLayers.map(function (l, k) { return k; });
    }
    pass += 1;
    function apply(f, sign) {
      for (var e = q.o[f]; e < q.o[f + 1]; e++) {
        var c = q.c[e]; acc[c] += sign * q.n[e]; total += sign * q.n[e];
        if (seen[c] !== pass) { seen[c] = pass; touched.push(c); }
      }
    }
    while (at < i) { at += 1; apply(at, 1); }
    while (at > i) { apply(at, -1); at -= 1; }
    touched.forEach(restyle);
    return total;
  }
  function iso(d) { return new Date(d * 864e5).toISOString().slice(0, 10); }
  function dayText(d) {
    var t = new Date(d * 864e5);
    return t.getUTCDate() + ' ' + months[t.getUTCMonth()] + ' ' + t.getUTCFullYear();
  }
  // regionmap._plan._in_force for the window [first, d]; a window with an open start is
  // judged on its last day alone (ViewSpec.layer_window), so a line that ended before the
  // frame's day is drawn as ended, as a reload at that day draws it
  function inForce(t, d) {
    if (t[0] !== null && t[0] > d) { return false; }
    if (t[1] !== null && t[1] < (openStart ? d : first)) { return false; }
    return !t[2].some(function (s) {
      return (s[0] === null || s[0] <= d) && (s[1] === null || d < s[1]); });
  }
  function showEvents(d) {  // cumulative: shown from its start on; returns how many
    var add = [], drop = [], n = 0;
    markers.forEach(function (m) {
      var on = m.rmTime[0] === null || m.rmTime[0] <= d;
      n += on ? 1 : 0;
      if (on === (m.rmHidden !== true)) { return; }
      m.rmHidden = !on; (on ? add : drop).push(m);
      var ring = m.rmHalo && m.rmHalo.getElement();  // hidden, not removed: cheaper
      if (ring) { ring.classList.toggle('rm-hidden', !on); }
    });
    if (drop.length) { cluster.removeLayers(drop); }
    if (add.length) { cluster.addLayers(add); }
    return n;
  }
  function showLayers(d) {
    groups.forEach(function (g) {
      g.eachLayer(function (l) {
        var p = l.feature && l.feature.properties;
        if (!p || !p.rm_t) { return; }
        var on = inForce(p.rm_t, d);
        if (l.rmOn !== on) { l.rmOn = on; l.setStyle(on ? p.rm_on : p.rm_off); }
      });
    });
  }
  var C = L.Control.extend({onAdd: function () {
    var d = L.DomUtil.create('div', 'rm-playback');
    d.setAttribute('data-testid', 'rm-playback');
    L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d);
    return d; }});
  var box = new C({position: 'topright'}).addTo(map).getContainer();
  function el(tag, testid, title) {
    var e = L.DomUtil.create(tag, '', box);
    e.setAttribute('data-testid', testid); e.title = title; return e;
  }
  var button = el('button', 'rm-play', 'Play the window step by step');
  var stepSel = el('select', 'rm-step', 'One frame per');
  var speedSel = el('select', 'rm-speed', 'Frames per second');
  var slider = el('input', 'rm-frame', 'Drag to a date'); slider.type = 'range';
  var label = el('span', 'rm-playback-date', 'The date shown');
  steps.forEach(function (s) { stepSel.add(new Option(s, s, false, s === step)); });
  speeds[0].forEach(function (s) { speedSel.add(new Option(s + '/s', s, false, s === speeds[1])); });
  function draw(k) {
    i = k; var d = frames[i];
    var n = cellLayers ? showCells() : showEvents(d); showLayers(d);
    label.textContent = dayText(d); slider.max = frames.length - 1; slider.value = i;
    var count = counted && document.querySelector('.rm-legend-count');
    if (count) {
      count.innerHTML = '<b>' + n.toLocaleString('en-US') + ' events</b> · ' +
        (openStart ? 'up to ' + dayText(d) : startText + ' – ' + dayText(d));
    }
  }
  function keep() {  // the shown date becomes the window's end in the dashboard's URL
    if (window.parent === window) { return; }
    try {
      var u = new URL(window.parent.location.href);
      u.searchParams.set('to', iso(frames[i]));
      window.parent.history.replaceState(window.parent.history.state, '', u.toString());
    } catch (err) { /* not embedded in the dashboard */ }
  }
  function tick() {
    if (i >= frames.length - 1) { pause(); return; }
    draw(i + 1); timer = setTimeout(tick, 1000 / speed);
  }
  function play() {
    if (i >= frames.length - 1) { draw(0); }
    button.textContent = '⏸'; box.setAttribute('data-playing', '1');
    timer = setTimeout(tick, 1000 / speed);
  }
  function pause() {
    clearTimeout(timer); timer = null;
    button.textContent = '▶'; box.setAttribute('data-playing', '0'); keep();
  }
  button.onclick = function () { if (timer === null) { play(); } else { pause(); } };
  speedSel.onchange = function () { speed = Number(speedSel.value); };
  stepSel.onchange = function () {
    var d = frames[i]; step = stepSel.value; frames = allFrames[step];
    var k = frames.findIndex(function (f) { return f >= d; });
    draw(k < 0 ? frames.length - 1 : k);
  };
  slider.oninput = function () { if (timer !== null) { pause(); } draw(Number(slider.value)); };
  slider.onchange = keep;
  button.textContent = '▶'; box.setAttribute('data-playing', '0');
  label.textContent = dayText(frames[i]); slider.min = 0;
  slider.max = frames.length - 1; slider.value = i;
  map.on('unload', function () { clearTimeout(timer); });
  window.regionmapPlayback = {draw: draw, play: play, pause: pause,
                              frames: function () { return frames; }};
})();
