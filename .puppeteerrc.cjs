/**
 * The service renders with the operating system's Chromium (Debian's `chromium` package),
 * so puppeteer must never download a browser of its own.
 * @type {import('puppeteer').Configuration}
 */
module.exports = {
  skipDownload: true,
};
