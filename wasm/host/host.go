// Package host runs the engine's WASI module (wasm/wasi) under wazero, so
// hostile input cannot take down the process that analyses it: the module
// is compiled once per Engine (with an on-disk compilation cache), memory is
// capped and every call has a deadline. Instances are kept warm between
// calls (the Go runtime's start and the engine's one-time setup cost about
// 0.6 s), but only after a clean call: an instance that trapped, hit a
// limit, was cancelled, returned an engine error or grew past half the
// memory cap is closed and the next call starts a fresh one. A limit hit is an
// error that says which limit, e.g. "analysis stopped: memory limit of 512
// MiB reached".
package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	wapi "github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/cdf-preflight/preflight/analysis"
	"github.com/cdf-preflight/preflight/wasm/wasi/abi"
)

// Limits applied to every call unless Options say otherwise.
const (
	DefaultMemoryLimit = 512 << 20 // bytes of linear memory per call
	DefaultTimeout     = 30 * time.Second
)

// pageSize is the WebAssembly page size.
const pageSize = 64 << 10

// Options configure an Engine. Zero values mean the defaults.
type Options struct {
	MemoryLimit uint64        // bytes; rounded down to whole 64 KiB pages
	Timeout     time.Duration // per call
	// CacheDir holds compiled code between processes; "" means
	// os.UserCacheDir()/preflight/wazero, "-" an in-memory cache only.
	CacheDir string
	// WarmInstances is how many idle instances are kept warm for later
	// calls (0 means DefaultWarmInstances, negative none: every call
	// starts a fresh instance).
	WarmInstances int
}

// DefaultWarmInstances is the number of idle instances an Engine keeps.
const DefaultWarmInstances = 2

// LimitError is a call stopped by a limit.
type LimitError struct {
	Resource string // "memory" or "time"
	Limit    string // "512 MiB", "30s"
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("analysis stopped: %s limit of %s reached", e.Resource, e.Limit)
}

// Engine is a compiled engine module, ready for calls. It is safe for
// concurrent use: each call has a module instance to itself. Instances are
// reused: a call takes an idle warm one (or starts a new one) and gives it
// back after a clean call, up to Options.WarmInstances kept idle.
type Engine struct {
	rt       wazero.Runtime
	cm       wazero.CompiledModule
	memLimit uint64
	timeout  time.Duration
	warm     int // idle instances kept for later calls
	// CacheDir is where compiled code is cached ("" when in memory only).
	CacheDir string

	mu     sync.Mutex
	idle   []*instance // warm instances, each fit for the next call
	closed bool
}

// exports are the functions the module must export (see package abi).
var exports = []string{"alloc", "free", "analyze", "permissions", "check_policy"}

// New compiles the module wasm. Compiling is the slow part (about a second
// cold); with the cache a later process reuses the compiled code.
func New(ctx context.Context, wasm []byte, opts Options) (*Engine, error) {
	if len(wasm) == 0 {
		return nil, errors.New("engine module: empty")
	}
	e := &Engine{memLimit: opts.MemoryLimit, timeout: opts.Timeout, warm: opts.WarmInstances}
	if e.warm == 0 {
		e.warm = DefaultWarmInstances
	}
	if e.memLimit == 0 {
		e.memLimit = DefaultMemoryLimit
	}
	if e.timeout <= 0 {
		e.timeout = DefaultTimeout
	}
	pages := e.memLimit / pageSize
	if pages < 1 || pages > 65536 {
		return nil, fmt.Errorf("engine module: memory limit %d bytes: want 64 KiB to 4 GiB", e.memLimit)
	}
	cache := compilationCache(opts.CacheDir, &e.CacheDir)
	cfg := wazero.NewRuntimeConfig().
		WithMemoryLimitPages(uint32(pages)).
		WithCloseOnContextDone(true).
		WithCompilationCache(cache)
	e.rt = wazero.NewRuntimeWithConfig(ctx, cfg)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, e.rt); err != nil {
		e.rt.Close(ctx)
		return nil, fmt.Errorf("engine module: wasi: %w", err)
	}
	cm, err := e.rt.CompileModule(ctx, wasm)
	if err != nil {
		e.rt.Close(ctx)
		return nil, fmt.Errorf("engine module: compile: %w", err)
	}
	have := cm.ExportedFunctions()
	for _, name := range exports {
		if _, ok := have[name]; !ok {
			e.rt.Close(ctx)
			return nil, fmt.Errorf("engine module: does not export %q (not a preflight wasi module?)", name)
		}
	}
	e.cm = cm
	return e, nil
}

// compilationCache returns an on-disk cache in dir (or the default dir),
// falling back to memory when there is no usable directory.
func compilationCache(dir string, used *string) wazero.CompilationCache {
	if dir == "-" {
		return wazero.NewCompilationCache()
	}
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return wazero.NewCompilationCache()
		}
		dir = filepath.Join(base, "preflight", "wazero")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return wazero.NewCompilationCache()
	}
	c, err := wazero.NewCompilationCacheWithDir(dir)
	if err != nil {
		return wazero.NewCompilationCache()
	}
	*used = dir
	return c
}

// Close releases the runtime, its instances and its compiled code.
func (e *Engine) Close(ctx context.Context) error {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	e.dropIdle()
	return e.rt.Close(ctx)
}

// MemoryLimit and Timeout are the limits applied to each call.
func (e *Engine) MemoryLimit() uint64    { return e.memLimit }
func (e *Engine) Timeout() time.Duration { return e.timeout }

// Analyze returns the report JSON for in, byte for byte what wasm/api.Analyze
// returns natively.
func (e *Engine) Analyze(ctx context.Context, in analysis.Input) ([]byte, error) {
	return e.call(ctx, "analyze", abi.EncodeRequest(in))
}

// Permissions returns the permissions JSON (as wasm/api.Permissions).
func (e *Engine) Permissions(ctx context.Context, tokenInspectJSON []byte, project string, policyTOML []byte) ([]byte, error) {
	return e.call(ctx, "permissions", abi.EncodeRequest(analysis.Input{
		TokenInspectJSON: tokenInspectJSON, Project: project, PolicyTOML: policyTOML,
	}))
}

// CheckPolicy returns the policy check JSON (as wasm/api.CheckPolicy).
func (e *Engine) CheckPolicy(ctx context.Context, policyTOML []byte) ([]byte, error) {
	return e.call(ctx, "check_policy", policyTOML)
}

// instance is one live module instance with its exports looked up.
type instance struct {
	m      wapi.Module
	stderr *headBuffer
	alloc  wapi.Function
	free   wapi.Function
	fns    map[string]wapi.Function
	reused bool // has served a call before (its heap is warm)
}

// instantiate starts a new instance under ctx (the call's deadline covers
// the Go runtime's start and the engine's one-time setup).
func (e *Engine) instantiate(ctx context.Context) (*instance, error) {
	stderr := &headBuffer{max: 4 << 10}
	mc := wazero.NewModuleConfig().
		WithName(""). // anonymous: instances can run side by side
		WithStartFunctions("_initialize").
		WithStderr(stderr)
	m, err := e.rt.InstantiateModule(ctx, e.cm, mc)
	if err != nil {
		return &instance{stderr: stderr}, err
	}
	in := &instance{m: m, stderr: stderr, alloc: m.ExportedFunction("alloc"), free: m.ExportedFunction("free"),
		fns: map[string]wapi.Function{}}
	for _, name := range exports {
		in.fns[name] = m.ExportedFunction(name)
	}
	return in, nil
}

// take returns an idle warm instance, or nil when there is none.
func (e *Engine) take() *instance {
	e.mu.Lock()
	defer e.mu.Unlock()
	if n := len(e.idle); n > 0 {
		in := e.idle[n-1]
		e.idle = e.idle[:n-1]
		return in
	}
	return nil
}

// put keeps a healthy instance for the next call, or closes it when the
// engine is closed or already keeps enough idle instances.
func (e *Engine) put(in *instance) {
	e.mu.Lock()
	if !e.closed && len(e.idle) < e.warm {
		in.reused = true
		e.idle = append(e.idle, in)
		e.mu.Unlock()
		return
	}
	e.mu.Unlock()
	in.close()
}

func (in *instance) close() {
	if in.m != nil {
		in.m.Close(context.Background())
	}
}

// dropIdle closes every idle instance (the next call starts a new one).
func (e *Engine) dropIdle() {
	e.mu.Lock()
	idle := e.idle
	e.idle = nil
	e.mu.Unlock()
	for _, in := range idle {
		in.close()
	}
}

// call runs fn on req under the limits, in a warm instance when one is
// idle. An instance goes back to the pool only after a clean call: one that
// trapped, hit a limit, was cancelled, returned an engine error or grew past
// half the memory cap is closed, so no input can leave a broken or bloated
// instance behind for the next.
func (e *Engine) call(parent context.Context, fn string, req []byte) ([]byte, error) {
	if uint64(len(req)) >= e.memLimit {
		return nil, e.memoryErr()
	}
	if err := parent.Err(); err != nil {
		return nil, fmt.Errorf("analysis cancelled: %w", err)
	}
	ctx, cancel := context.WithTimeout(parent, e.timeout)
	defer cancel()
	in := e.take()
	if in == nil {
		var err error
		if in, err = e.instantiate(ctx); err != nil {
			return nil, e.classify(parent, ctx, nil, in.stderr, "start", err)
		}
	}
	out, keep, err := e.run(parent, ctx, in, fn, req)
	var le *LimitError
	if err != nil && in.reused && errors.As(err, &le) && le.Resource == "memory" {
		// A warm heap may hold what a fresh one would not: the memory cap
		// is judged on a fresh instance, as if this were the first call.
		in.close()
		if in, err = e.instantiate(ctx); err != nil {
			return nil, e.classify(parent, ctx, nil, in.stderr, "start", err)
		}
		out, keep, err = e.run(parent, ctx, in, fn, req)
	}
	if keep {
		e.put(in)
	} else {
		in.close()
	}
	return out, err
}

// run makes one call in instance in and says whether the instance is fit
// to keep.
func (e *Engine) run(parent, ctx context.Context, in *instance, fn string, req []byte) (out []byte, keep bool, err error) {
	in.stderr.reset()
	m := in.m
	res, err := in.alloc.Call(ctx, uint64(len(req)))
	if err != nil {
		return nil, false, e.classify(parent, ctx, m, in.stderr, "alloc", err)
	}
	ptr := uint32(res[0])
	if !m.Memory().Write(ptr, req) {
		return nil, false, fmt.Errorf("engine module: alloc returned %#x, outside its memory", ptr)
	}
	res, err = in.fns[fn].Call(ctx, uint64(ptr), uint64(len(req)))
	if err != nil {
		return nil, false, e.classify(parent, ctx, m, in.stderr, fn, err)
	}
	rp, rl := uint32(res[0]>>32), uint32(res[0])
	b, ok := m.Memory().Read(rp, rl)
	if !ok {
		return nil, false, fmt.Errorf("engine module: %s returned %d bytes at %#x, outside its memory", fn, rl, rp)
	}
	// The view is into the module's memory: copy the answer out.
	out, err = abi.ParseResult(bytes.Clone(b))
	if err != nil {
		return nil, false, err
	}
	// Release both buffers; an instance that cannot is not kept.
	if _, ferr := in.free.Call(ctx, uint64(rp)); ferr != nil {
		return out, false, nil
	}
	if _, ferr := in.free.Call(ctx, uint64(ptr)); ferr != nil {
		return out, false, nil
	}
	return out, uint64(m.Memory().Size()) <= e.memLimit/2, nil
}

// classify turns a failed call into an error naming its cause: the memory
// cap, the deadline, the caller's cancellation, or a crash of the module.
func (e *Engine) classify(parent, ctx context.Context, m wapi.Module, stderr *headBuffer, fn string, err error) error {
	switch {
	case parent.Err() != nil:
		return fmt.Errorf("analysis cancelled: %w", parent.Err())
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return &LimitError{Resource: "time", Limit: e.timeout.String()}
	}
	if strings.Contains(stderr.String(), "out of memory") || (m != nil && uint64(m.Memory().Size())+8<<20 > e.memLimit) {
		return e.memoryErr()
	}
	msg := strings.TrimSpace(stderr.String())
	if len(msg) > 400 {
		msg = msg[:400] + "…"
	}
	if msg != "" {
		return fmt.Errorf("engine module: %s failed: %v (%s)", fn, err, msg)
	}
	return fmt.Errorf("engine module: %s failed: %v", fn, err)
}

func (e *Engine) memoryErr() error {
	return &LimitError{Resource: "memory", Limit: fmt.Sprintf("%d MiB", e.memLimit>>20)}
}

// headBuffer keeps the first max bytes written (the module's fatal-error
// message comes first; a long goroutine dump after it is not needed).
type headBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (t *headBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if room := t.max - len(t.buf); room > 0 {
		t.buf = append(t.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (t *headBuffer) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = t.buf[:0]
}

func (t *headBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
