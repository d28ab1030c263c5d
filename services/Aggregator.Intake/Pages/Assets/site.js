// Live regions: an element with data-live="URL" is refreshed from that URL (a server-rendered fragment of the same
// page) every 3 seconds while the tab is visible; it stops when the server answers with an empty data-live.
(() => {
  const refresh = async (region) => {
    const source = region.dataset.live;
    if (!source || document.hidden) return;
    try {
      const response = await fetch(source, { credentials: "same-origin", headers: { "Accept": "text/html" } });
      if (!response.ok) return;
      const html = await response.text();
      const holder = document.createElement("div");
      holder.innerHTML = html;
      region.replaceChildren(...holder.childNodes);
      if (region.querySelector("[data-finished]")) region.dataset.live = "";
    } catch { /* the next tick tries again */ }
  };
  document.querySelectorAll("[data-live]").forEach((region) => {
    if (!region.dataset.live) return;
    const timer = setInterval(() => region.dataset.live ? refresh(region) : clearInterval(timer), 3000);
  });
})();
