package funcs

import (
	"fmt"
	"image"
	_ "image/gif" // the formats a payment provider accepts for a logo
	_ "image/jpeg"
	_ "image/png"
	"io"
)

// ImageInfo is what the header of an image tells.
type ImageInfo struct {
	Format        string // "png", "jpeg" or "gif"
	Width, Height int
}

// DecodeImageConfig reads the header of a PNG, JPEG or GIF image from r.
// It is the one decoder of the image_info function and the image probe, so
// both accept the same files. Only the header is read: a logo's pixels
// are not needed, and decoding them would let a small file claim gigabytes.
func DecodeImageConfig(r io.Reader) (ImageInfo, error) {
	cfg, format, err := image.DecodeConfig(r)
	if err != nil {
		return ImageInfo{}, fmt.Errorf("not a PNG, JPEG or GIF image: %w", err)
	}
	return ImageInfo{Format: format, Width: cfg.Width, Height: cfg.Height}, nil
}
