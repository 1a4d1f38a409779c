/** Downloads for the dashboard's charts and canvas: SVG, PNG and CSV, each carrying the chart's provenance. */

/** SVG, PNG and CSV downloads for a chart. */
export function exports(root: HTMLElement, svg: SVGSVGElement, title: string, csv: () => string): void {
  const tools = document.createElement('div');
  tools.className = 'tools';
  // The file is named after the chart's title (the metric and the kind of chart), so two charts of one metric differ.
  const name = title.replace(/\(.*?\)/g, '').replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 80);
  const download = (href: string, file: string) => Object.assign(document.createElement('a'), { href, download: file }).click();
  const serialized = () => new XMLSerializer().serializeToString(svg);
  const button = (text: string, act: () => void) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.addEventListener('click', act);
    tools.append(b, ' ');
  };
  button('SVG', () => download(URL.createObjectURL(new Blob([serialized()], { type: 'image/svg+xml' })), `${name}.svg`));
  button('PNG', () => {
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = svg.viewBox.baseVal.width * 2;
      canvas.height = svg.viewBox.baseVal.height * 2;
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
      download(canvas.toDataURL('image/png'), `${name}.png`);
    };
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(serialized())}`;
  });
  button('CSV', () => download(URL.createObjectURL(new Blob([csv()], { type: 'text/csv' })), `${name}.csv`));
  root.append(tools);
}

/** A canvas as PNG with its provenance written under it, and the data it shows as CSV. */
export function canvasExports(root: HTMLElement, canvas: HTMLCanvasElement, name: string, label: () => string, csv: () => string): void {
  const tools = document.createElement('div');
  tools.className = 'tools';
  const download = (href: string, file: string) => Object.assign(document.createElement('a'), { href, download: file }).click();
  const png = document.createElement('button');
  png.type = 'button';
  png.textContent = 'PNG';
  png.addEventListener('click', () => {
    const out = document.createElement('canvas');
    out.width = canvas.width;
    out.height = canvas.height + 30;
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    ctx.fillStyle = '#444';
    ctx.font = '14px system-ui, sans-serif';
    ctx.fillText(label(), 8, canvas.height + 20);
    download(out.toDataURL('image/png'), `${name}.png`);
  });
  const data = document.createElement('button');
  data.type = 'button';
  data.textContent = 'CSV';
  data.addEventListener('click', () => download(URL.createObjectURL(new Blob([csv()], { type: 'text/csv' })), `${name}.csv`));
  tools.append(png, ' ', data);
  root.append(tools);
}
