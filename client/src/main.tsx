import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

/** Placeholder shell until the kiosk lands: proves the server serves the built client. */
function App() {
  return (
    <main style={{ fontFamily: 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif', padding: 24 }}>
      <h1>村问 CunWen</h1>
      <p>乡村问卷与表单平台 / Survey and form platform for rural campaigns</p>
    </main>
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><App /></StrictMode>);
