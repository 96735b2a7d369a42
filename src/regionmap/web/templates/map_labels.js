{# The MapLabels element's script: a Jinja macro body that folium renders. Values in `this` are JSON made safe by script_json; each text is HTML-escaped already. -#}
(function () {
  var map = {{ this._parent.get_name() }};
  var pane = map.getPane('rmLabels') || map.createPane('rmLabels');
  pane.style.zIndex = 640; pane.style.pointerEvents = 'none';
  var shift = {
    center: function () { return 'left:0;top:0;transform:translate(-50%,-50%)'; },
    right: function (d) { return 'left:' + d + 'px;top:0;transform:translateY(-50%)'; },
    left: function (d) { return 'right:' + d + 'px;top:0;transform:translateY(-50%)'; },
    above: function (d) { return 'left:0;bottom:' + d + 'px;transform:translateX(-50%)'; },
    below: function (d) { return 'left:0;top:' + d + 'px;transform:translateX(-50%)'; }
  };
  var group = L.layerGroup();
  {{ this.labels_json }}.forEach(function (l) {
    var cls = 'rm-label rm-label-' + l.kind + (l.fallback ? ' rm-label-fallback' : '');
    var note = l.fallback ? ' title="no name in this language: English shown"' : '';
    var html = '<span style="' + shift[l.anchor](l.offset) + '"' + note + '>' + l.text + '</span>';
    if (l.dot) { html = '<i class="rm-town-dot"></i>' + html; }  // a town's, drawn with its name
    var icon = L.divIcon({className: cls, html: html, iconSize: [0, 0]});
    L.marker([l.lat, l.lon], {icon: icon, interactive: false, keyboard: false, pane: 'rmLabels'})
      .addTo(group);
  });
  group.addTo(map);
  window.regionmapLabels = group;  // apart from regionmapLayers: labels are not a layer
})();
