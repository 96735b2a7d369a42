{# The VariantLabels element's script: a Jinja macro body that folium renders. Values in `this` are JSON made safe by script_json; each label's text is escaped HTML. -#}
(function () {
  var map = {{ this._parent.get_name() }};
  {{ this.labels_json }}.forEach(function (v) {
    var html = '<span class="rm-variant-label" style="color:' + v[3] + '">' + v[2] + '</span>';
    var icon = L.divIcon({html: html, className: 'rm-variant-icon', iconSize: null,
                          iconAnchor: v[4] ? [-6, 18] : [-6, -6]});
    L.marker([v[0], v[1]], {icon: icon, interactive: false, keyboard: false}).addTo(map);
  });
})();
