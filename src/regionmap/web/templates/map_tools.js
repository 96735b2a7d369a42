{# The MapTools element's script: a Jinja macro body that folium renders. Values in `this` are JSON made safe by script_json. -#}
(function () {
  var map = {{ this._parent.get_name() }};
  window.regionmapMap = map;
  // Two maps side by side (the dashboard's compare mode) move together in the browser:
  // each is in its own same-origin component iframe, so a map finds the other through
  // the parent page and sets its view; `following` keeps the echo from moving it back.
  window.regionmapSync = {map: map, following: false};
  function peers() {
    var out = [];
    if (window.parent === window) { return out; }
    try {
      window.parent.document.querySelectorAll('iframe').forEach(function (f) {
        try {
          var w = f.contentWindow;
          if (w && w !== window && w.regionmapSync) { out.push(w.regionmapSync); }
        } catch (e) { /* another origin's frame: not a map of ours */ }
      });
    } catch (e) { /* a page embedded elsewhere */ }
    return out;
  }
  map.on('move', function () {
    if (window.regionmapSync.following) { return; }
    var c = map.getCenter(), z = map.getZoom();
    peers().forEach(function (p) {
      p.following = true;
      try { p.map.setView(c, z, {animate: false}); } finally { p.following = false; }
    });
  });
  function ctl(pos, html, onclick) {
    var C = L.Control.extend({onAdd: function () {
      var d = L.DomUtil.create('div', 'rm-tool'); d.innerHTML = html;
      L.DomEvent.disableClickPropagation(d);
      if (onclick) { L.DomEvent.on(d, 'click', function () { onclick(d); }); }
      return d; }});
    var c = new C({position: pos}); c.addTo(map); return c.getContainer();
  }
  var coords = ctl('bottomleft', 'lat –, lon –');
  coords.setAttribute('data-testid', 'rm-coords');
  map.on('mousemove', function (e) {
    coords.textContent = 'lat ' + e.latlng.lat.toFixed(4) + ', lon ' + e.latlng.lng.toFixed(4);
  });
  var measuring = false, pts = [], line = null;
  var measure = ctl('topleft', 'Measure distance', function (d) {
    measuring = !measuring; pts = [];
    if (line) { map.removeLayer(line); line = null; }
    d.innerHTML = measuring ? 'Click points… (click here to stop)' : 'Measure distance';
    map.getContainer().style.cursor = measuring ? 'crosshair' : '';
  });
  measure.setAttribute('data-testid', 'rm-measure');
  map.on('click', function (e) {
    if (!measuring) { return; }
    pts.push(e.latlng);
    if (line) { map.removeLayer(line); }
    line = L.polyline(pts, {color: '#000', dashArray: '4 4', weight: 2}).addTo(map);
    var m = 0; for (var i = 1; i < pts.length; i++) { m += pts[i - 1].distanceTo(pts[i]); }
    measure.innerHTML = (m / 1000).toFixed(1) + ' km (click here to stop)';
  });
  ctl('topleft', 'Full screen', function () {
    var el = map.getContainer();
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (el.requestFullscreen) { el.requestFullscreen().catch(function () {}); }
  });
  map.on('moveend', function () {
    if (window.parent === window) { return; }  // a standalone page (an exported snapshot)
    try {
      var u = new URL(window.parent.location.href), c = map.getCenter();
      u.searchParams.set('c', c.lat.toFixed(4) + ',' + c.lng.toFixed(4));
      u.searchParams.set('z', String(map.getZoom()));
      window.parent.history.replaceState(window.parent.history.state, '', u.toString());
    } catch (err) { /* not embedded in the dashboard */ }
  });
  map.whenReady(function () { document.body.setAttribute('data-regionmap-ready', '1'); });
})();
