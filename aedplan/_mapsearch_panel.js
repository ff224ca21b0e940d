/* aedplan: the panel of the nearest AED now, a Jinja macro (see aedplan/_mapsearch.py). */
(function () {
    var map = {{ this._parent.get_name() }}, d = {{ this.data }}, w = {{ this.words }};
    var box = L.control({position: "topleft"}), body, list, day, time;
    box.onAdd = function () {
        var div = L.DomUtil.create("div", "aedplan-box aedplan-now");
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        /* a phone: a one-line bar, as the other panels; tap to open */
        div.innerHTML = "<details" + (window.innerWidth > 600 ? " open" : "") + "><summary>"
            + w.title + "</summary><div></div></details>";
        body = div.querySelector("details > div");
        return div;
    };
    box.addTo(map);
    if (d.off) {
        body.innerHTML = '<p class="aedplan-note">' + (d.off === "big" ? w.big : w.none_here) + "</p>";
        return;
    }
    var lines = {{ this.streets.get_name() if this.streets else "null" }}.getLatLngs();
    if (lines.length !== atob(d.u).length / 4) { body.innerHTML = '<p class="aedplan-note">' + w.none_here + "</p>"; return; }
    var said = [];  /* the AED layer's popup words, escaped once there: name, where it hangs */
    {% if this.aeds %}{{ this.aeds.get_name() }}.eachLayer(function (l) { said.push(l.feature.properties); });{% endif %}
    d.aeds.forEach(function (a) {
        var p = said[a.row] || {};
        a.name = p.name || "";  /* where it hangs, unless the name already says it */
        a.where = a.at && p.where && a.name.indexOf(p.where.trim()) < 0 ? p.where : "";
    });
    var search = new AedplanSearch(lines, d), drawn = L.layerGroup().addTo(map), last = null;
    window.aedplanNearest = function (lat, lon, minute) { return search.nearest(lat, lon, minute); };
    body.innerHTML = '<p class="aedplan-call">' + w.call + '</p><p class="aedplan-note">' + w.how
        + '</p><p><select class="aedplan-day">' + w.days.map(function (n, i) {
            return '<option value="' + i + '">' + n + "</option>"; }).join("")
        + '</select> <input class="aedplan-time" type="time" step="60"> <button type="button" class="aedplan-nowbtn">'
        + w.now + "</button>" + (window.isSecureContext && navigator.geolocation
            ? ' <button type="button" class="aedplan-locate">' + w.locate + "</button>" : "")
        + '</p><div class="aedplan-answer"></div>';
    day = body.querySelector(".aedplan-day"); time = body.querySelector(".aedplan-time");
    list = body.querySelector(".aedplan-answer");
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    function setNow() {
        var t = new Date();
        day.value = String((t.getDay() + 6) % 7);
        time.value = pad(t.getHours()) + ":" + pad(t.getMinutes());
    }
    function minute() {
        var hm = (time.value || "00:00").split(":");
        return Number(day.value) * 1440 + Number(hm[0]) * 60 + Number(hm[1]);
    }
    function span(s) {
        s = Math.round(s);
        var m = Math.floor(s / 60), r = s % 60;
        return m ? w.min.replace("{m}", m).replace("{s}", r) : w.sec.replace("{s}", r);
    }
    function show(lat, lon) {
        var r = search.nearest(lat, lon, minute()), html = [];
        window.aedplanAnswer = r;
        drawn.clearLayers();
        new L.CircleMarker([lat, lon], {radius: 6, color: "#000", weight: 2, fillColor: "#fff", fillOpacity: 1}).addTo(drawn);
        if (!r.snapped) {
            list.innerHTML = '<p class="aedplan-none">' + w.far + "</p>";
            return r;
        }
        r.open.forEach(function (a, i) {
            new L.Polyline(a.route, {color: "#d7191c", weight: i ? 3 : 6, opacity: i ? 0.6 : 0.9,
                                 dashArray: i ? "6 6" : null, interactive: false}).addTo(drawn);
            html.push('<li class="aedplan-open"><b>' + a.name + "</b><br>" + w.walk.replace("{one}", span(a.oneWayS))
                .replace("{both}", span(a.roundTripS)) + (a.where ? "<br>" + w.where.replace("{where}", a.where) : "")
                + (a.unknown ? '<br><i class="aedplan-unknown">' + w.unknown + "</i>" : "") + "</li>");
        });
        r.later.forEach(function (a) {
            html.push('<li class="aedplan-later"><b>' + a.name + "</b><br>"
                + w.opens.replace("{time}", pad(Math.floor(a.opensAt / 60)) + ":" + pad(a.opensAt % 60))
                    .replace("{walk}", w.walk.replace("{one}", span(a.oneWayS)).replace("{both}", span(a.roundTripS)))
                + "</li>");
        });
        /* the nearest usable AED beyond the rescue's budget: said first, not left to the list */
        var beyond = r.open.length && r.open[0].rescueS > d.budget;
        list.innerHTML = (r.open.length ? "" : '<p class="aedplan-none">' + w.none_now + "</p>")
            + (beyond ? '<p class="aedplan-none aedplan-beyond">' + w.beyond + "</p>" : "")
            + (html.length ? "<ol>" + html.join("") + "</ol>" : "");
        return r;
    }
    window.aedplanShow = function (lat, lon, minute) {
        if (minute !== undefined) {
            day.value = String(Math.floor(minute / 1440));
            time.value = pad(Math.floor(minute % 1440 / 60)) + ":" + pad(minute % 60);
        }
        last = [lat, lon];
        return show(lat, lon);
    };
    setNow();
    /* the place asked about and its nearest AED, kept clear of the panel: on a phone the
       panel opens over the top of the map, on a wider screen it stands on the left */
    function inView(r) {
        var details = body.parentNode, place = [r.lat, r.lon], first = r.open[0] || r.later[0];
        if (window.innerWidth <= 600) { details.open = true; }
        if (!r.snapped) { return; }
        var panel = details.parentNode.getBoundingClientRect(), frame = map.getContainer().getBoundingClientRect(),
            size = map.getSize(), phone = window.innerWidth <= 600,
            left = phone ? 10 : panel.right - frame.left + 10, top = phone ? panel.bottom - frame.top + 10 : 10;
        left = Math.min(left, size.x - 120); top = Math.min(top, size.y - 120);  /* a strip at least */
        var points = first ? [place, [first.lat, first.lon]] : [place];
        var hidden = points.some(function (p) {
            var c = map.latLngToContainerPoint(p);
            return c.x < left || c.y < top || c.x > size.x - 10 || c.y > size.y - 30;
        });
        if (hidden) {
            map.fitBounds(L.latLngBounds(points), {paddingTopLeft: [left, top], paddingBottomRight: [10, 30],
                                                  maxZoom: map.getZoom(), animate: false});
        }
    }
    /* Leaflet's "preclick" comes before a layer's popup stops the click (a click inside a
       rescue circle): the search answers wherever the map is clicked, not after a drag */
    map.on("preclick", function (e) { last = [e.latlng.lat, e.latlng.lng]; inView(show(last[0], last[1])); });
    /* on a phone the answer is what a tap asks for: a circle's popup would only cover it */
    map.on("popupopen", function (e) {
        if (window.innerWidth <= 600 && e.popup._source instanceof L.Polygon) { map.closePopup(e.popup); }
    });
    [day, time].forEach(function (el) { el.addEventListener("change", function () { if (last) { show(last[0], last[1]); } }); });
    body.querySelector(".aedplan-nowbtn").addEventListener("click", function () { setNow(); if (last) { show(last[0], last[1]); } });
    var locate = body.querySelector(".aedplan-locate");
    if (locate) {
        locate.addEventListener("click", function () {
            navigator.geolocation.getCurrentPosition(function (p) {
                last = [p.coords.latitude, p.coords.longitude];
                map.setView(last, Math.max(map.getZoom(), 16));
                inView(show(last[0], last[1]));
            });
        });
    }
})();
