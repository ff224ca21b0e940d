/* aedplan: the map's nearest AED now (see aedplan/_mapsearch.py). */
function AedplanSearch(lines, d) {
    function bytes(text) {
        var s = atob(text), a = new Uint8Array(s.length);
        for (var i = 0; i < s.length; i++) { a[i] = s.charCodeAt(i); }
        return a.buffer;
    }
    var U = new Int32Array(bytes(d.u)), V = new Int32Array(bytes(d.v));
    var LEN = new Float32Array(bytes(d.len)), nE = U.length, nN = 0, e, i, k;
    for (e = 0; e < nE; e++) { nN = Math.max(nN, U[e] + 1, V[e] + 1); }
    /* the graph as adjacency lists (CSR): for node n, edges adj[first[n] .. first[n+1]) */
    var first = new Int32Array(nN + 1), adj = new Int32Array(2 * nE), fill,
        adjNode = new Int32Array(2 * nE), adjLen = new Float64Array(2 * nE);
    for (e = 0; e < nE; e++) { first[U[e] + 1]++; first[V[e] + 1]++; }
    for (i = 0; i < nN; i++) { first[i + 1] += first[i]; }
    fill = first.slice(0, nN);
    for (e = 0; e < nE; e++) {
        adjNode[fill[U[e]]] = V[e]; adjLen[fill[U[e]]] = LEN[e]; adj[fill[U[e]]++] = e;
        adjNode[fill[V[e]]] = U[e]; adjLen[fill[V[e]]] = LEN[e]; adj[fill[V[e]]++] = e;
    }
    /* the streets' segments in degrees, and where each starts along its edge (0..1) */
    var nS = 0;
    for (e = 0; e < nE; e++) { nS += Math.max(lines[e].length - 1, 0); }
    var sx = new Float64Array(nS), sy = new Float64Array(nS), tx = new Float64Array(nS),
        ty = new Float64Array(nS), sEdge = new Int32Array(nS), sFrom = new Float64Array(nS),
        sTo = new Float64Array(nS), s = 0;
    var ats = [];
    for (e = 0; e < nE; e++) {
        /* the vertices' shares of the edge, measured on the lines in metres */
        var line = lines[e], at = [0], total = 0, k = line.length ? scale(line[0].lat) : [1, 1];
        for (i = 1; i < line.length; i++) {
            total += Math.hypot((line[i].lng - line[i - 1].lng) * k[0],
                                (line[i].lat - line[i - 1].lat) * k[1]);
            at.push(total);
        }
        for (i = 1; i < line.length; i++) { at[i] = total > 0 ? at[i] / total : 1; }
        ats.push(at);
        for (i = 1; i < line.length; i++) {
            sx[s] = line[i - 1].lng; sy[s] = line[i - 1].lat;
            tx[s] = line[i].lng; ty[s] = line[i].lat;
            sEdge[s] = e; sFrom[s] = at[i - 1]; sTo[s] = at[i]; s++;
        }
    }
    /* each AED's links, by node: (AED, link, metres from that node to the AED) */
    var aeds = d.aeds, nodeFirst = new Int32Array(nN + 1), nodeAed = [], nodeLink = [], nodeExtra = [];
    var byNode = [];
    aeds.forEach(function (a, j) {
        a.links.forEach(function (l, m) {
            byNode.push([U[l[0]], j, m, l[1] + l[2]]);
            byNode.push([V[l[0]], j, m, LEN[l[0]] - l[1] + l[2]]);
        });
    });
    byNode.sort(function (p, q) { return p[0] - q[0]; });
    byNode.forEach(function (b) { nodeFirst[b[0] + 1]++; nodeAed.push(b[1]); nodeLink.push(b[2]); nodeExtra.push(b[3]); });
    for (i = 0; i < nN; i++) { nodeFirst[i + 1] += nodeFirst[i]; }

    /* metres per degree at a latitude (WGS84) */
    function scale(lat) {
        var r = lat * Math.PI / 180;
        return [111412.84 * Math.cos(r) - 93.5 * Math.cos(3 * r),
                111132.954 - 559.822 * Math.cos(2 * r) + 1.175 * Math.cos(4 * r)];
    }
    /* segments by cells of at least maxSnap metres: a place's streets are in its 3 x 3 */
    var latMax = 0, lon0 = Infinity, lat0 = Infinity;
    for (i = 0; i < nS; i++) {
        latMax = Math.max(latMax, Math.abs(sy[i]), Math.abs(ty[i]));
        lon0 = Math.min(lon0, sx[i], tx[i]); lat0 = Math.min(lat0, sy[i], ty[i]);
    }
    var cellX = d.maxSnap / scale(latMax)[0], cellY = d.maxSnap / 110574, cells = new Map();
    function cellKey(cx, cy) { return cx * 1048576 + cy; }
    for (i = 0; i < nS; i++) {
        var x0 = Math.floor((Math.min(sx[i], tx[i]) - lon0) / cellX),
            x1 = Math.floor((Math.max(sx[i], tx[i]) - lon0) / cellX),
            y0 = Math.floor((Math.min(sy[i], ty[i]) - lat0) / cellY),
            y1 = Math.floor((Math.max(sy[i], ty[i]) - lat0) / cellY);
        for (var cx = x0; cx <= x1; cx++) {
            for (var cy = y0; cy <= y1; cy++) {
                var key = cellKey(cx, cy), bucket = cells.get(key);
                if (bucket) { bucket.push(i); } else { cells.set(key, [i]); }
            }
        }
    }
    /* the nearest point of the nearest segment: edge, fraction along it, metres off */
    function snap(lat, lon) {
        var k2 = scale(lat), kx = k2[0], ky = k2[1], best = Infinity, bs = -1, bt = 0;
        var ci = Math.floor((lon - lon0) / cellX), cj = Math.floor((lat - lat0) / cellY);
        for (var cx = ci - 1; cx <= ci + 1; cx++) {
            for (var cy = cj - 1; cy <= cj + 1; cy++) {
                var bucket = cells.get(cellKey(cx, cy)) || [];
                for (var b = 0; b < bucket.length; b++) {
                    var j = bucket[b], ax = (sx[j] - lon) * kx, ay = (sy[j] - lat) * ky;
                    var dx = (tx[j] - sx[j]) * kx, dy = (ty[j] - sy[j]) * ky, dd = dx * dx + dy * dy;
                    var t = dd > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / dd)) : 0;
                    var px = ax + t * dx, py = ay + t * dy, q = px * px + py * py;
                    if (q < best || (q === best && j < bs)) { best = q; bs = j; bt = t; }
                }
            }
        }
        if (bs < 0 || Math.sqrt(best) > d.maxSnap) { return null; }
        return {edge: sEdge[bs], f: sFrom[bs] + bt * (sTo[bs] - sFrom[bs]), off: Math.sqrt(best)};
    }
    function openSpan(a, minute) {
        for (var j = 0; j < a.open.length; j++) {
            if (a.open[j][0] <= minute && minute < a.open[j][1]) { return true; }
        }
        return false;
    }
    function opensLater(a, minute) {
        var end = (Math.floor(minute / 1440) + 1) * 1440;
        for (var j = 0; j < a.open.length; j++) {
            if (a.open[j][0] > minute && a.open[j][0] < end) { return a.open[j][0]; }
        }
        return -1;
    }
    var dist = new Float64Array(nN), predEdge = new Int32Array(nN);
    var heapKey = new Float64Array(2 * nE + 2), heapNode = new Int32Array(2 * nE + 2);
    /* Dijkstra from a snapped place until the `want` nearest AEDs of each group are final */
    function search(place, minute, want) {
        var size = 0, j, group = aeds.map(function (a) {
            return openSpan(a, minute) ? 0 : (opensLater(a, minute) >= 0 ? 1 : -1);
        });
        var best = new Float64Array(aeds.length).fill(Infinity), via = new Int32Array(aeds.length).fill(-1),
            link = new Int32Array(aeds.length).fill(-1), bound = Infinity;
        function push(key, node) {
            var c = size++;
            while (c > 0) {
                var p = (c - 1) >> 1;
                if (heapKey[p] <= key) { break; }
                heapKey[c] = heapKey[p]; heapNode[c] = heapNode[p]; c = p;
            }
            heapKey[c] = key; heapNode[c] = node;
        }
        function pop() {
            var key = heapKey[--size], node = heapNode[size], c = 0;
            while (true) {
                var l = 2 * c + 1;
                if (l >= size) { break; }
                if (l + 1 < size && heapKey[l + 1] < heapKey[l]) { l++; }
                if (heapKey[l] >= key) { break; }
                heapKey[c] = heapKey[l]; heapNode[c] = heapNode[l]; c = l;
            }
            heapKey[c] = key; heapNode[c] = node;
        }
        function tighten() {
            var worst = 0;
            [0, 1].forEach(function (g) {
                var t = [];
                for (var q = 0; q < aeds.length; q++) { if (group[q] === g) { t.push(best[q]); } }
                t.sort(function (p, q2) { return p - q2; });
                worst = Math.max(worst, t.length >= want ? t[want - 1] : (t.length ? Infinity : 0));
            });
            bound = worst;
        }
        function offer(q, m, value, node) {
            if (group[q] >= 0 && value < best[q]) { best[q] = value; via[q] = node; link[q] = m; tighten(); }
        }
        dist.fill(Infinity); predEdge.fill(-1);
        var e0 = place.edge, p0 = place.f * LEN[e0];
        tighten();
        aeds.forEach(function (a, q) {
            a.links.forEach(function (l, m) {
                if (l[0] === e0) { offer(q, m, place.off + Math.abs(l[1] - p0) + l[2], -1); }
            });
        });
        dist[U[e0]] = place.off + p0;
        dist[V[e0]] = Math.min(dist[V[e0]], place.off + LEN[e0] - p0);
        push(dist[U[e0]], U[e0]);
        if (V[e0] !== U[e0]) { push(dist[V[e0]], V[e0]); }
        while (size > 0) {
            var key = heapKey[0], n = heapNode[0];
            pop();
            if (key > dist[n]) { continue; }
            if (key >= bound) { break; }
            for (j = nodeFirst[n]; j < nodeFirst[n + 1]; j++) { offer(nodeAed[j], nodeLink[j], key + nodeExtra[j], n); }
            for (j = first[n]; j < first[n + 1]; j++) {
                var o = adjNode[j], w = key + adjLen[j];
                if (w < dist[o]) { dist[o] = w; predEdge[o] = adj[j]; push(w, o); }
            }
        }
        return {best: best, via: via, link: link, group: group};
    }
    /* the line from fraction f0 to f1 of edge e */
    function part(e, f0, f1) {
        var line = lines[e], at = ats[e], out = [], lo = Math.min(f0, f1), hi = Math.max(f0, f1);
        function point(f) {
            for (var q = 1; q < line.length; q++) {
                if (at[q] >= f || q === line.length - 1) {
                    var t = at[q] > at[q - 1] ? (f - at[q - 1]) / (at[q] - at[q - 1]) : 0;
                    return [line[q - 1].lat + t * (line[q].lat - line[q - 1].lat),
                            line[q - 1].lng + t * (line[q].lng - line[q - 1].lng)];
                }
            }
            return [line[0].lat, line[0].lng];
        }
        out.push(point(lo));
        for (var j = 0; j < line.length; j++) {
            if (at[j] > lo && at[j] < hi) { out.push([line[j].lat, line[j].lng]); }
        }
        out.push(point(hi));
        return f0 <= f1 ? out : out.reverse();
    }
    function route(place, lat, lon, r, q) {
        var a = aeds[q], l = a.links[r.link[q]], n = r.via[q], path = [[lat, lon]], edges = [];
        if (n < 0) {
            path = path.concat(part(place.edge, place.f, l[1] / LEN[l[0]]));
        } else {
            var m = n;
            while (predEdge[m] >= 0) { edges.push([predEdge[m], m]); m = U[predEdge[m]] === m ? V[predEdge[m]] : U[predEdge[m]]; }
            path = path.concat(part(place.edge, place.f, U[place.edge] === m ? 0 : 1));
            edges.reverse().forEach(function (p) { path = path.concat(part(p[0], U[p[0]] === p[1] ? 1 : 0, U[p[0]] === p[1] ? 0 : 1)); });
            path = path.concat(part(l[0], U[l[0]] === n ? 0 : 1, l[1] / LEN[l[0]]));
        }
        path.push([a.lat, a.lon]);
        return path;
    }
    /* the answer for a place at a minute of the week (0 = Monday 00:00) */
    this.nearest = function (lat, lon, minute, want) {
        want = want || 3;
        var t0 = performance.now(), place = snap(lat, lon);
        if (place === null || !aeds.length) { return {open: [], later: [], ms: performance.now() - t0, snapped: place !== null}; }
        var r = search(place, minute, want), out = {open: [], later: []};
        aeds.forEach(function (a, q) {
            if (r.group[q] < 0 || !isFinite(r.best[q])) { return; }
            var m = r.best[q];
            (r.group[q] === 0 ? out.open : out.later).push({
                index: q, row: a.row, name: a.name, where: a.where, lat: a.lat, lon: a.lon, metres: m,
                unknown: !!a.unknown,
                oneWayS: m / d.speed, roundTripS: 2 * m / d.speed, rescueS: d.factor * m / d.speed,
                opensAt: r.group[q] === 1 ? opensLater(a, minute) % 1440 : null});
        });
        [out.open, out.later].forEach(function (g) { g.sort(function (p, q) { return p.metres - q.metres; }); g.splice(want); });
        out.open.concat(out.later).forEach(function (x) { x.route = route(place, lat, lon, r, x.index); });
        out.ms = performance.now() - t0;
        out.snapped = true; out.lat = lat; out.lon = lon;
        out.place = place;
        return out;
    };
}
