import jsQRModule from 'jsqr';

// jsqr is CommonJS with `exports.default`; bundlers and Node disagree on which layer the default is.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ?? jsQRModule) as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: { inversionAttempts?: 'dontInvert' | 'onlyInvert' | 'attemptBoth' | 'invertFirst' },
) => { data: string } | null;

interface Detector {
  detect(source: CanvasImageSource): Promise<Array<{ rawValue: string }>>;
}

/**
 * QR decoding: the browser's BarcodeDetector where it exists and reads QR codes (Chrome on
 * Android, Safari 17+ on iOS), else jsQR on the pixels. Headless and desktop Chromium on Linux
 * have no BarcodeDetector, so the jsQR path is the one the tests run.
 */
let detector: Detector | undefined | null;
const nativeDetector = async (): Promise<Detector | undefined> => {
  if (detector !== undefined) return detector ?? undefined;
  const ctor = (globalThis as { BarcodeDetector?: { new (o: object): Detector; getSupportedFormats(): Promise<string[]> } }).BarcodeDetector;
  try {
    detector = ctor && (await ctor.getSupportedFormats()).includes('qr_code') ? new ctor({ formats: ['qr_code'] }) : null;
  } catch {
    detector = null;
  }
  return detector ?? undefined;
};

export const decoderName = async () => ((await nativeDetector()) ? 'BarcodeDetector' : 'jsQR');

const canvas = document.createElement('canvas');
const context = canvas.getContext('2d', { willReadFrequently: true })!;

/** Draws `source` at most `maxSide` pixels on its longer side (a phone photo is 12 MP; jsQR needs far less) and decodes it. */
export const decode = async (source: CanvasImageSource & { width: number; height: number }, maxSide = 1400): Promise<string | undefined> => {
  const native = await nativeDetector();
  if (native) {
    const found = await native.detect(source);
    return found[0]?.rawValue;
  }
  const scale = Math.min(1, maxSide / Math.max(source.width, source.height));
  canvas.width = Math.round(source.width * scale);
  canvas.height = Math.round(source.height * scale);
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
  return jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: 'dontInvert' })?.data;
};

export const decodeFile = async (file: Blob) => {
  const bitmap = await createImageBitmap(file);
  try {
    return await decode(bitmap);
  } finally {
    bitmap.close();
  }
};

/** The rear camera into `video`, decoded a few times a second; `onText` gets each code once per 3 s. */
export const startCamera = async (video: HTMLVideoElement, onText: (text: string) => void): Promise<() => void> => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1280 } }, audio: false });
  video.srcObject = stream;
  await video.play();
  let last = { text: '', at: 0 };
  let stopped = false;
  const frame = document.createElement('canvas');
  const loop = async () => {
    while (!stopped) {
      if (video.videoWidth) {
        frame.width = video.videoWidth;
        frame.height = video.videoHeight;
        frame.getContext('2d')!.drawImage(video, 0, 0);
        const text = await decode(frame, 960).catch(() => undefined);
        if (text && (text !== last.text || Date.now() - last.at > 3000)) {
          last = { text, at: Date.now() };
          onText(text);
        }
      }
      await new Promise((r) => setTimeout(r, 120));
    }
  };
  void loop();
  return () => {
    stopped = true;
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
};
