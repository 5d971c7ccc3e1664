import './base.css';
import './summary.css';
import './session.css';
import './live.css';
import './review.css';
import './assessments.css';
import './criticalpath.css';
import './loglevel.css';
