{# The Legend element's script: a Jinja macro body that folium renders. Values in `this` are JSON made safe by script_json. -#}
(function () {
  var Legend = L.Control.extend({onAdd: function () {
    var d = L.DomUtil.create('div', 'rm-legend'); d.innerHTML = {{ this.html_json }};
    d.setAttribute('data-testid', 'rm-legend'); L.DomEvent.disableScrollPropagation(d);
    return d; }});
  new Legend({position: 'bottomright'}).addTo({{ this._parent.get_name() }});
})();
