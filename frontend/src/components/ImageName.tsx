import { shortDigest, type ImageRef } from "../lib/imageRef";

/** `postgres:16-alpine`, `team/app:1.4.2@sha256:0a1b…`, with the full reference on hover. */
export function ImageName({ image }: { image: ImageRef }) {
  return (
    <span className="min-w-0 break-all" title={image.raw}>
      <span className="font-semibold">{image.name}</span>
      {image.tag && <span className="opacity-75">:{image.tag}</span>}
      {image.digest && <span className="muted font-mono text-xs">@{shortDigest(image.digest)}</span>}
    </span>
  );
}
