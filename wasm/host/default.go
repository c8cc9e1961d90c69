package host

import (
	"context"
	"errors"
	"sync"
)

// ErrNotEmbedded is returned by Default in a binary built without the module.
var ErrNotEmbedded = errors.New("no embedded wasm engine module (build with make)")

// Embedded reports whether this binary carries the engine module.
func Embedded() bool { return len(embedded) > 0 }

// EmbeddedModule returns the embedded engine module (nil when none).
func EmbeddedModule() []byte { return embedded }

var (
	defaultOnce sync.Once
	defaultEng  *Engine
	defaultErr  error
)

// Default returns the process's engine over the embedded module with the
// default limits, compiling it on first use (once per process).
func Default() (*Engine, error) {
	defaultOnce.Do(func() {
		if !Embedded() {
			defaultErr = ErrNotEmbedded
			return
		}
		defaultEng, defaultErr = New(context.Background(), embedded, Options{})
	})
	return defaultEng, defaultErr
}
