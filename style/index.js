import './base.css';
import './summary.css';
