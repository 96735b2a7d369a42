{# The EventLayer element's script: a Jinja macro body that folium renders. Values in `this` are JSON made safe by script_json. -#}
(function () {
  var map = {{ this._parent.get_name() }};
  var icons = {{ this.icons_json }}, text = {{ this.text_json }};
  var events = {{ this.events_json }}, labels = {{ this.labels_json }};
  var shells = {{ this.shells_json }};  // the popup's markup, written once in Python
  function fill(shell, values) {  // one pass, as _popups.fill: values are not rescanned
    return shell.replace(/\{(\w+)\}/g, function (m, k) { return values[k]; });
  }
  var cluster = L.markerClusterGroup({maxClusterRadius: 30, spiderfyOnMaxZoom: true});
  var halos = L.layerGroup(), markers = [];
  // Halos lie beneath the overlay layers (pane 400): a disc never hides the corridor or
  // the border it surrounds.
  if (!map.getPane('rmHalos')) { map.createPane('rmHalos').style.zIndex = 350; }
  function row(label, value) {
    return value ? fill(shells.row, {label: label, value: value}) : '';
  }
  events.forEach(function (e) {
    var f = e.f.map(function (i) { return text[i]; }), rows = '';
    for (var k = 0; k < labels.length; k++) { rows += row(labels[k], f[k + 2]); }
    var icon = L.divIcon({html: icons[e.icon], className: 'rm-event-icon',
                          iconSize: [16, 16], iconAnchor: [8, 8]});
    var m = L.marker([e.lat, e.lon], {icon: icon});
    m.bindTooltip(fill(shells.tip, {title: f[0], when: f[2]}));
    m.bindPopup(fill(shells.popup, {title: f[0], notes: f[1], rows: rows + row('ID', e.eid)}),
                {maxWidth: 380});
    m.rmTime = e.t;  // [start, end] as day numbers, for playback
    markers.push(m);
    if (e.halo) {
      L.circle([e.lat, e.lon], {radius: e.halo, color: '#666', weight: 1, dashArray: '3 4',
        fill: true, fillColor: '#000', fillOpacity: 0.06, interactive: false,
        className: 'rm-halo', pane: 'rmHalos'}).addTo(halos);
      m.rmHalo = halos.getLayers()[halos.getLayers().length - 1];
    }
  });
  halos.addTo(map);
  // The plan chose the halos for the first view; zoomed or panned, the halos in view may
  // together cover at most maxShare of the map (as the plan counts them): smallest radius
  // first, a radius that would pass it is hidden, with every larger one.
  var maxShare = {{ this.max_share_json }};
  function fitHalos() {
    var b = map.getBounds(), c = map.getCenter();
    var w = map.distance([c.lat, b.getWest()], [c.lat, b.getEast()]);
    var h = map.distance([b.getSouth(), c.lng], [b.getNorth(), c.lng]);
    var byRadius = {};
    halos.eachLayer(function (l) { (byRadius[l.getRadius()] = byRadius[l.getRadius()] || []).push(l); });
    var total = 0, full = false;
    Object.keys(byRadius).map(Number).sort(function (a, x) { return a - x; }).forEach(function (r) {
      var seen = {};
      byRadius[r].forEach(function (l) {
        if (b.intersects(l.getBounds())) { seen[l.getLatLng().lat.toFixed(4) + ',' + l.getLatLng().lng.toFixed(4)] = 1; }
      });
      total += Object.keys(seen).length * Math.PI * r * r;
      full = full || total > maxShare * w * h;
      byRadius[r].forEach(function (l) {
        l.setStyle({opacity: full ? 0 : 1, fillOpacity: full ? 0 : 0.06});
      });
    });
  }
  map.whenReady(fitHalos);
  map.on('zoomend moveend', fitHalos);
  cluster.addLayers(markers);  // in one batch: faster than one by one
  cluster.addTo(map);
  window.regionmapEvents = cluster;
  window.regionmapHalos = halos;
  window.regionmapMarkers = markers;  // all of them, shown or not (playback hides some)
})();
