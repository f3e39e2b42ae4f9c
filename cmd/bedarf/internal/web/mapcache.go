package web

import (
	"context"
	"sync"

	"bedarf/analysis"
	"bedarf/survey/store"
)

// mapCache keeps drawn maps (the chart and its SVG and PNG) keyed on the
// store's data version: a map depends on the answers, the scenarios, the
// Kommunen and the boundaries, and every write to those bumps the version
// (also from the CLI, another process). While it stays, a map is drawn
// once; a new version empties the cache. Safe for concurrent use.
type mapCache struct {
	mu      sync.Mutex
	version int64
	entries map[mapKey]*mapEntry
}

// mapCacheMax bounds the entries (maps of rounds and scenarios); beyond it
// the cache starts afresh.
const mapCacheMax = 64

// mapKey names one map: its kind ("overview", "plan"), round and the
// scenario asked for in the address.
type mapKey struct {
	kind     string
	round    int64
	scenario int64
}

// mapEntry is a drawn map with its renderings, each made on first use.
type mapEntry struct {
	chart *analysis.Chart
	mu    sync.Mutex
	svg   []byte
	png   []byte
}

func newMapCache() *mapCache { return &mapCache{entries: map[mapKey]*mapEntry{}} }

// chart returns the cached map of key at the store's current data version,
// or builds it with build and keeps it.
func (mc *mapCache) chart(ctx context.Context, st *store.Store, key mapKey, build func() (*analysis.Chart, error)) (*mapEntry, error) {
	v, err := st.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	mc.mu.Lock()
	if v != mc.version || len(mc.entries) >= mapCacheMax {
		mc.version, mc.entries = v, map[mapKey]*mapEntry{}
	}
	e := mc.entries[key]
	mc.mu.Unlock()
	if e != nil {
		return e, nil
	}
	ch, err := build()
	if err != nil {
		return nil, err
	}
	e = &mapEntry{chart: ch}
	mc.mu.Lock()
	if mc.version == v { // not emptied meanwhile for a newer version
		mc.entries[key] = e
	}
	mc.mu.Unlock()
	return e, nil
}

// SVG returns the map as SVG, drawn once.
func (e *mapEntry) SVG() ([]byte, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.svg == nil {
		b, err := e.chart.SVG()
		if err != nil {
			return nil, err
		}
		e.svg = b
	}
	return e.svg, nil
}

// PNG returns the map as PNG, drawn once.
func (e *mapEntry) PNG() ([]byte, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.png == nil {
		b, err := e.chart.PNG()
		if err != nil {
			return nil, err
		}
		e.png = b
	}
	return e.png, nil
}
