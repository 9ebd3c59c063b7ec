package browser

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// Server serves a folder of built pages on 127.0.0.1, so that a local page
// runs with a real origin: relative and root-relative references resolve,
// same-origin frames are readable, fetches to the merchant's own paths are
// same-origin, as once deployed.
type Server struct {
	URL  string // http://127.0.0.1:PORT
	srv  *http.Server
	root *os.Root
	done chan struct{}
}

// Serve starts a file server for dir. Links and ".." never leave dir. The
// files named in pages are sent as HTML whatever their extension: a
// template (checkout.blade.php, page.html.php) is the page as built.
func Serve(dir string, pages ...string) (*Server, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("serve %s: %w", dir, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		root.Close()
		return nil, fmt.Errorf("serve %s: %w", dir, err)
	}
	s := &Server{
		URL:  "http://" + ln.Addr().String(),
		root: root,
		done: make(chan struct{}),
		srv: &http.Server{
			Handler:           htmlPages(http.FileServerFS(root.FS()), pages),
			ReadHeaderTimeout: 5 * time.Second,
		},
	}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the page then fails to load and Render reports that
		}
	}()
	return s, nil
}

func htmlPages(next http.Handler, pages []string) http.Handler {
	html := map[string]bool{}
	for _, p := range pages {
		html["/"+strings.TrimPrefix(p, "/")] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if html[r.URL.Path] {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		next.ServeHTTP(w, r)
	})
}

// Close stops the server and waits for it.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	<-s.done
	s.root.Close()
	return err
}
