// Package testenv starts real servers for tests, on loopback only.
package testenv

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const nginxConf = `daemon off;
master_process off;
worker_processes 1;
user root;
pid {{dir}}/nginx.pid;
error_log {{dir}}/error.log info;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path {{dir}}/body;
	server {
		listen 127.0.0.1:{{port}} ssl;
		ssl_certificate     {{dir}}/cert.pem;
		ssl_certificate_key {{dir}}/key.pem;
		ssl_protocols {{protocols}};
		ssl_ciphers "DEFAULT:@SECLEVEL=0";
		location / { return 200 "ok\n"; }
	}
}
`

// NginxTLS starts nginx on 127.0.0.1 serving TLS with the given
// ssl_protocols ("TLSv1", "TLSv1.2 TLSv1.3") and certificate, and returns
// its host:port. The cipher list is deliberately permissive (OpenSSL
// security level 0) so that the protocols are what the test controls. The
// server stops when the test ends. A missing nginx fails the test: the
// TLS probe's verdicts must be checked against a real server.
func NginxTLS(t *testing.T, protocols string, certPEM, keyPEM []byte) string {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		bin = "/usr/sbin/nginx" // not on a non-root PATH
		if _, statErr := os.Stat(bin); statErr != nil {
			t.Fatalf("nginx is not installed (run scripts/setup.sh): %v", err)
		}
	}
	var lastErr error
	for range 3 { // the free port can be taken between probing and binding
		addr, err := startNginx(t, bin, protocols, certPEM, keyPEM)
		if err == nil {
			return addr
		}
		lastErr = err
	}
	t.Fatalf("nginx: %v", lastErr)
	return ""
}

func startNginx(t *testing.T, bin, protocols string, certPEM, keyPEM []byte) (string, error) {
	dir := t.TempDir()
	port, err := freePort()
	if err != nil {
		return "", err
	}
	conf := strings.NewReplacer(
		"{{dir}}", dir,
		"{{port}}", fmt.Sprint(port),
		"{{protocols}}", protocols,
	).Replace(nginxConf)
	for name, data := range map[string][]byte{
		"cert.pem":   certPEM,
		"key.pem":    keyPEM,
		"nginx.conf": []byte(conf),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return "", err
		}
	}

	cmd := exec.Command(bin, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "error.log"))
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("starting %s: %w", bin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGQUIT) // graceful; the process may be gone already
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}

	addr := net.JoinHostPort("127.0.0.1", fmt.Sprint(port))
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case err := <-exited:
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			return "", fmt.Errorf("exited before listening (%v): %s", err, log)
		default:
		}
		conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			conn.Close()
			t.Cleanup(stop)
			return addr, nil
		}
		if time.Now().After(deadline) {
			stop()
			return "", errors.New("not listening after 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
