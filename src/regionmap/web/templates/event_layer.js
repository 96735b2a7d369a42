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
        className: 'rm-halo'}).addTo(halos);
      m.rmHalo = halos.getLayers()[halos.getLayers().length - 1];
    }
  });
  halos.addTo(map);
  // The plan chose the halos for the first view; zoomed in, a halo may grow past the
  // plan's limit (a quarter of the map's area): it is hidden then, shown again zoomed out.
  var maxShare = {{ this.max_share_json }};
  function fitHalos() {
    var b = map.getBounds(), c = map.getCenter();
    var w = map.distance([c.lat, b.getWest()], [c.lat, b.getEast()]);
    var h = map.distance([b.getSouth(), c.lng], [b.getNorth(), c.lng]);
    halos.eachLayer(function (l) {
      var r = l.getRadius(), fits = Math.PI * r * r <= maxShare * w * h;
      l.setStyle({opacity: fits ? 1 : 0, fillOpacity: fits ? 0.06 : 0});
    });
  }
  map.whenReady(fitHalos);
  map.on('zoomend', fitHalos);
  cluster.addLayers(markers);  // in one batch: faster than one by one
  cluster.addTo(map);
  window.regionmapEvents = cluster;
  window.regionmapHalos = halos;
  window.regionmapMarkers = markers;  // all of them, shown or not (playback hides some)
})();
