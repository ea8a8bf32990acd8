/* Clientside callbacks of the analyzer dashboard (written for this project).
 *
 * They live in an asset file, not in Python strings, because Dash writes string callbacks into
 * an inline <script>, which the Content-Security-Policy (script-src 'self') forbids.  Dash loads
 * every .js file in assets/ before its renderer; the renderer adds no_update to the namespace.
 * Wired in dashboards/app.py and dashboards/callbacks.py with ClientsideFunction("analyzer", ...).
 */
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.analyzer = {
    /* Page state -> address bar (history.replaceState: no reload, no re-render) and nav links. */
    syncUrl: function (states) {
        const state = (states || []).find(s => s) || {};
        const params = new URLSearchParams();
        for (const [key, value] of Object.entries(state)) {
            if (value !== null && value !== undefined && value !== '') { params.set(key, String(value)); }
        }
        const query = params.toString();
        const wanted = window.location.pathname + (query ? '?' + query : '');
        if (wanted !== window.location.pathname + window.location.search) {
            window.history.replaceState(window.history.state, '', wanted);
        }
        const a = state.a ? '?a=' + encodeURIComponent(state.a) : '';
        return ['/', '/article' + a, '/thread' + a, '/links' + a, '/comments' + a, '/participants' + a, '/time' + a,
                '/labels' + a, '/coordination'];
    },

    /* The corpus grid reported its first page of rows: time to draw the deferred scatter (once). */
    gridReady: function (paginationInfo, virtualRowData, ready) {
        if (ready || (paginationInfo == null && virtualRowData == null)) {
            return window.dash_clientside.no_update;
        }
        return true;
    },

    /* Outline the selected comment's box in the thread icicle.
     * The figure's trace meta.selected remembers the outlined box's own line (index, color,
     * width) so the next selection can restore it; see analyzer.figures.thread_icicle. */
    highlight: function (state, figure) {
        const noUpdate = window.dash_clientside.no_update;
        if (!figure || !figure.data || !figure.data.length) { return noUpdate; }
        const trace = figure.data[0];
        const line = trace.marker && trace.marker.line;
        if (!trace.ids || !line || !Array.isArray(line.color) || !Array.isArray(line.width)) { return noUpdate; }
        const wanted = state && typeof state.c === 'string' ? trace.ids.indexOf(state.c) : -1;
        const meta = trace.meta && typeof trace.meta === 'object' ? trace.meta : {};
        const previous = meta.selected;
        const style = meta.highlight || {color: '#111111', width: 3};
        if (previous && previous.index === wanted) { return noUpdate; }
        if (!previous && wanted < 0) { return noUpdate; }
        const color = line.color.slice();
        const width = line.width.slice();
        if (previous && previous.index >= 0 && previous.index < color.length) {
            color[previous.index] = previous.color;
            width[previous.index] = previous.width;
        }
        let selected = null;
        if (wanted >= 0) {
            selected = {index: wanted, color: color[wanted], width: width[wanted]};
            color[wanted] = style.color;
            width[wanted] = style.width;
        }
        const newTrace = Object.assign({}, trace, {
            marker: Object.assign({}, trace.marker, {line: Object.assign({}, line, {color: color, width: width})}),
            meta: Object.assign({}, meta, {selected: selected}),
        });
        return Object.assign({}, figure, {data: [newTrace].concat(figure.data.slice(1))});
    },
};
