import base64
import io

from PIL import Image

THUMB_SIZE = (128, 128)


def thumbnail(png_bytes: bytes) -> bytes:
    img = Image.open(io.BytesIO(png_bytes))
    img.thumbnail(THUMB_SIZE)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def handle(client, data):
    previews = {}
    for file_id in data.get("file_ids", []):
        content = client.files.download_bytes(id=file_id)
        thumb = thumbnail(content)
        client.files.upload_bytes(thumb, name=f"thumb-{file_id}.png", external_id=f"thumb-{file_id}", mime_type="image/png")
        previews[file_id] = base64.b64encode(thumb).decode("ascii")
    if "logo" in data:
        logo = base64.b64decode(data["logo"])
        client.files.upload_bytes(thumbnail(logo), name="logo.png", external_id="site-logo-thumb")
    return {"previews": previews}
