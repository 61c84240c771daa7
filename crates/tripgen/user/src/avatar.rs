//! Avatar images: accepted by content (JPEG or PNG magic, decodable), never by file name;
//! re-encoded to a square JPEG thumbnail so no metadata (EXIF, GPS) survives.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};

pub const MAX_BYTES: usize = 5 * 1024 * 1024;
pub const SIZE: u32 = 256;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AvatarError {
    #[error("the file is larger than 5 MB")]
    TooLarge,
    #[error("the file is not a JPEG or PNG image")]
    NotAnImage,
    #[error("the image could not be read")]
    Undecodable,
}

/// Returns the JPEG bytes of the square thumbnail.
pub fn make_thumbnail(bytes: &[u8]) -> Result<Vec<u8>, AvatarError> {
    if bytes.len() > MAX_BYTES {
        return Err(AvatarError::TooLarge);
    }
    let format = image::guess_format(bytes).map_err(|_| AvatarError::NotAnImage)?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png) {
        return Err(AvatarError::NotAnImage);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    // Guard against decompression bombs: a 5 MB PNG can claim gigapixels.
    let mut limits = Limits::default();
    limits.max_image_width = Some(10_000);
    limits.max_image_height = Some(10_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|_| AvatarError::Undecodable)?;
    let (w, h) = (img.width(), img.height());
    if w == 0 || h == 0 {
        return Err(AvatarError::Undecodable);
    }
    let side = w.min(h);
    let square = img.crop_imm((w - side) / 2, (h - side) / 2, side, side);
    let thumb = square
        .resize_exact(SIZE, SIZE, image::imageops::FilterType::Triangle)
        .to_rgb8();
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    thumb
        .write_with_encoder(encoder)
        .map_err(|_| AvatarError::Undecodable)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 128]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn square_jpeg_from_png() {
        let thumb = make_thumbnail(&png(300, 200)).unwrap();
        let decoded = image::load_from_memory(&thumb).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (SIZE, SIZE));
        assert_eq!(image::guess_format(&thumb).unwrap(), ImageFormat::Jpeg);
    }

    #[test]
    fn rejects_non_images_and_truncated() {
        assert_eq!(
            make_thumbnail(b"hello, not a png").unwrap_err(),
            AvatarError::NotAnImage
        );
        let p = png(50, 50);
        assert_eq!(
            make_thumbnail(&p[..40]).unwrap_err(),
            AvatarError::Undecodable
        );
        assert_eq!(
            make_thumbnail(&vec![0u8; MAX_BYTES + 1]).unwrap_err(),
            AvatarError::TooLarge
        );
    }
}
