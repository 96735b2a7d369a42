{# The BasemapLayer element's script: a Jinja macro body that folium renders. Values in `this` are JSON made safe by script_json. -#}
(function () {
  var map = {{ this._parent.get_name() }};
  var styles = {{ this.style_json }};  // countries, lakes, rivers: a feature's s picks one
  var pane = map.createPane('rm-basemap');
  // under the tile pane (200): loaded tiles cover it, failed ones (offline) show it
  pane.style.zIndex = 150;
  // Offline, the land lies on the sea's colour, and the ground beyond the region the
  // basemap is clipped to is greyed and edged: it is not sea, there is just no data.
  var sea = {{ this.sea_json }};
  map.getContainer().style.background = sea.sea;
  if (sea.region) {
    var r = sea.region, world = [[-89.9, -539], [89.9, -539], [89.9, 539], [-89.9, 539]];
    L.polygon([world, [[r[1], r[0]], [r[3], r[0]], [r[3], r[2]], [r[1], r[2]]]], {
      color: '#9a9a9a', weight: 1, dashArray: '4 4', fillColor: sea.outside, fillOpacity: 1,
      interactive: false, pane: 'rm-basemap', className: 'rm-outside'
    }).addTo(map);
  }
  function layer(features) {
    return L.geoJSON({type: 'FeatureCollection', features: features}, {
      style: function (f) { return styles[f.properties.s || 0]; },
      interactive: false, pane: 'rm-basemap'
    });
  }
  // Features with a first zoom (z: rivers, by rank) join the map from that zoom on, as the
  // print map draws them; the rest are always there.
  function add(data) {
    var always = [], byZoom = {};
    data.features.forEach(function (f) {
      var z = f.properties.z;
      if (z === undefined) { always.push(f); } else { (byZoom[z] = byZoom[z] || []).push(f); }
    });
    layer(always).addTo(map);
    var bands = Object.keys(byZoom).map(function (z) { return {z: +z, layer: layer(byZoom[z])}; });
    function show() {
      var zoom = map.getZoom();
      bands.forEach(function (b) {
        var on = map.hasLayer(b.layer);
        if (zoom >= b.z && !on) { b.layer.addTo(map); }
        if (zoom < b.z && on) { map.removeLayer(b.layer); }
      });
    }
    map.on('zoomend', show);
    show();
  }
  {% if this.url %}
  fetch({{ this.url_json }}).then(function (r) { return r.json(); }).then(add);
  {% else %}
  add({{ this.data_json }});
  {% endif %}
})();
