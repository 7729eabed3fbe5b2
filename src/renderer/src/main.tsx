import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { startSync } from './app/start';
import { connectToDock } from './lib/dock-client';
import './styles.css';

const connection = connectToDock();
startSync(connection);

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
