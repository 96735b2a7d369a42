{# The AnnotationLayer element's script: a Jinja macro body that folium renders. Values in `this` are JSON made safe by script_json; each text line is HTML-escaped already. -#}
(function () {
  var map = {{ this._parent.get_name() }};
  var color = {{ this.color_json }};
  var pane = map.getPane('rmAnnotations') || map.createPane('rmAnnotations');
  pane.style.zIndex = 650; pane.style.pointerEvents = 'none';
  var quiet = {interactive: false, keyboard: false, pane: 'rmAnnotations'};
  // An arrow's head: a triangle whose tip is the line's end, turned along the line. Web
  // Mercator keeps angles, so the turn found at zoom 0 holds at every zoom.
  function head(a) {
    var p = map.project(a.at, 0), q = map.project(a.to, 0);
    var turn = Math.atan2(q.y - p.y, q.x - p.x) * 180 / Math.PI;
    var svg = '<svg width="32" height="32" viewBox="-16 -16 32 32" style="transform:rotate(' +
      turn + 'deg)"><path class="rm-annotation-head" d="M0,0 L-16,-7 L-11,0 L-16,7 Z" fill="' +
      color + '"/></svg>';
    return L.divIcon({className: 'rm-annotation-icon', html: svg, iconSize: [32, 32],
                      iconAnchor: [16, 16]});
  }
  var group = L.layerGroup();
  {{ this.rows_json }}.forEach(function (a) {
    var cls = 'rm-annotation rm-annotation-' + a.kind;
    if (a.kind === 'arrow') {
      L.polyline([a.at, a.to], {color: color, weight: 3, opacity: 1, className: cls,
                                interactive: false, pane: 'rmAnnotations'}).addTo(group);
      L.marker(a.to, L.extend({icon: head(a)}, quiet)).addTo(group);
    } else {
      L.circleMarker(a.at, {radius: 6, color: '#ffffff', weight: 2, fillColor: color,
                            fillOpacity: 1, className: cls, interactive: false,
                            pane: 'rmAnnotations'}).addTo(group);
    }
    if (a.lines.length) {
      var html = '<span dir="auto" class="rm-annotation-box rm-anchor-' + a.anchor +
        '" style="border-color:' + color + '">' + a.lines.join('<br>') + '</span>';
      var icon = L.divIcon({className: 'rm-annotation-text', html: html, iconSize: [0, 0]});
      L.marker(a.label, L.extend({icon: icon}, quiet)).addTo(group);
    }
  });
  group.addTo(map);
  window.regionmapAnnotations = group;  // apart from regionmapLayers: not a data layer
})();
